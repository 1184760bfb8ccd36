import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishStable, type PublishOutcome } from '../../src/activities/stablePublisher';
import { CSV_FILE_NAME, historyPrefix, type Manifest } from '../../src/domain/manifest';
import { emptyStats } from '../../src/domain/stats';
import type { BlobInfo, BlobStore, PutOptions } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { readText } from '../support/generatedBody';
import { createBucket, sharedMinioS3Config } from '../support/services';

/**
 * Issue 5, behaviour 4: two runs publishing to one destination at the same time.
 * Each test stops one run's publish at a chosen storage call, lets another run
 * publish, then lets the first go on: every interleaving the protocol must
 * survive, on real MinIO and on a local directory.
 */

interface Gate {
  /** Resolves when the paused call is reached. */
  reached: Promise<void>;
  /** Lets the paused call proceed, or fail as a crash would. */
  release(outcome?: GateOutcome): void;
}

type GateOutcome = 'proceed' | 'crash';

/** A BlobStore that can pause (or crash) a put, to force an interleaving of two publishers. */
class SteppedStore implements BlobStore {
  private readonly checkpoints: Array<{ key: string; arrive: () => void; outcome: Promise<GateOutcome> }> = [];

  constructor(private readonly inner: BlobStore) {}

  get rootUri(): string {
    return this.inner.rootUri;
  }

  /** Pauses the next put of `key` until released. */
  pauseBeforePut(key: string): Gate {
    let arrive!: () => void;
    let decide!: (outcome: GateOutcome) => void;
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    const outcome = new Promise<GateOutcome>((resolve) => (decide = resolve));
    this.checkpoints.push({ key, arrive, outcome });
    return { reached, release: (chosen = 'proceed') => decide(chosen) };
  }

  private async checkpoint(key: string): Promise<void> {
    const index = this.checkpoints.findIndex((checkpoint) => checkpoint.key === key);
    if (index === -1) return;
    const [checkpoint] = this.checkpoints.splice(index, 1);
    checkpoint.arrive();
    if ((await checkpoint.outcome) === 'crash') throw new Error(`worker killed during put ${key}`);
  }

  uriFor(key: string): string {
    return this.inner.uriFor(key);
  }
  async put(key: string, body: Readable | Buffer | string, options?: PutOptions): Promise<BlobInfo> {
    await this.checkpoint(key);
    return this.inner.put(key, body, options);
  }
  get(key: string): Promise<Readable> {
    return this.inner.get(key);
  }
  head(key: string): Promise<BlobInfo | undefined> {
    return this.inner.head(key);
  }
  copy(fromKey: string, toKey: string): Promise<BlobInfo> {
    return this.inner.copy(fromKey, toKey);
  }
  list(prefix: string): AsyncIterable<BlobInfo> {
    return this.inner.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  deletePrefix(prefix: string): Promise<void> {
    return this.inner.deletePrefix(prefix);
  }
  verifyAccess(): Promise<void> {
    return this.inner.verifyAccess();
  }
}

const OPTIONS = { force: false, maxDropFraction: 0.3 };

/** A run that has transformed `csv`: its history copy is written, its manifest returned. */
async function stagedRun(store: BlobStore, label: string, runStartedAt: string, csv = `Count\n${label}\n`): Promise<{ manifest: Manifest; historyCsvKey: string }> {
  const runId = `${label}-${randomBytes(3).toString('hex')}`;
  const historyCsvKey = `${historyPrefix(runStartedAt, runId)}${CSV_FILE_NAME}`;
  await store.put(historyCsvKey, csv);
  const manifest: Manifest = {
    manifestVersion: 1,
    dataset: 'charger_models_UK',
    sourceUrl: 'https://registry.test/ncr.json',
    fetchedAt: runStartedAt,
    source: {},
    raw: { bytes: 1, sha256: 'raw' },
    stats: { ...emptyStats(), devicesKept: 100 },
    csv: {
      key: historyCsvKey,
      uri: store.uriFor(historyCsvKey),
      bytes: Buffer.byteLength(csv),
      sha256: createHash('sha256').update(csv).digest('hex'),
    },
    workflowId: `wf-${label}`,
    runId,
    runStartedAt,
    codeVersion: 'test',
  };
  return { manifest, historyCsvKey };
}

function publish(store: BlobStore, run: { manifest: Manifest; historyCsvKey: string }): Promise<PublishOutcome> {
  return publishStable(store, run.manifest, run.historyCsvKey, OPTIONS);
}

async function stableState(store: BlobStore): Promise<{ csv: string; manifestRunId: string }> {
  const manifest = JSON.parse(await readText(await store.get('manifest.json'))) as Manifest;
  return { csv: await readText(await store.get('charger_models_UK.csv')), manifestRunId: manifest.runId };
}

let bucket: string;
let localRoot: string;

beforeAll(async () => {
  bucket = await createBucket();
  localRoot = await mkdtemp(join(tmpdir(), 'uk-chargers-publish-race-'));
});

afterAll(async () => {
  await rm(localRoot, { recursive: true, force: true });
});

const backends: Array<[string, () => BlobStore]> = [
  ['MinIO', () => openBlobStore(`s3://${bucket}/${randomBytes(4).toString('hex')}/`, { s3ClientConfig: sharedMinioS3Config() })],
  ['a local directory', () => openBlobStore(`file:${join(localRoot, randomBytes(4).toString('hex'))}`)],
];

describe.each(backends)('behaviour 4: overlapping runs publishing to %s', (_backend, openStore) => {
  let store: BlobStore;
  let stepped: SteppedStore;
  // Three runs in start order: the one published before the race, an older and a newer contender.
  const T0 = '2026-11-20T06:00:00.000Z';
  const OLDER = '2026-11-21T06:00:00.000Z';
  const NEWER = '2026-11-21T06:00:05.000Z';

  beforeEach(async () => {
    store = openStore();
    stepped = new SteppedStore(store);
    expect(await publish(store, await stagedRun(store, 'previous', T0))).toMatchObject({ action: 'published' });
  });

  it('an older run whose claim loses to a newer publish decides again and is superseded', async () => {
    const older = await stagedRun(store, 'older', OLDER);
    const newer = await stagedRun(store, 'newer', NEWER);
    const claim = stepped.pauseBeforePut('manifest.json');
    const olderPublish = publish(stepped, older);
    await claim.reached;

    expect(await publish(store, newer)).toMatchObject({ action: 'published' });
    claim.release();
    expect(await olderPublish).toMatchObject({ action: 'superseded', reason: expect.stringContaining('started later') });
    expect(await stableState(store)).toEqual({ csv: 'Count\nnewer\n', manifestRunId: newer.manifest.runId });
  });

  it("an older run's CSV write that races a newer claim never lands over the newer CSV", async () => {
    const older = await stagedRun(store, 'older', OLDER);
    const newer = await stagedRun(store, 'newer', NEWER);
    const write = stepped.pauseBeforePut('charger_models_UK.csv');
    const olderPublish = publish(stepped, older);
    await write.reached;

    // The older run has claimed the manifest and checked it; the newer one publishes completely meanwhile.
    expect(await publish(store, newer)).toMatchObject({ action: 'published' });
    write.release();
    expect(await olderPublish).toMatchObject({
      action: 'superseded',
      reason: expect.stringContaining(`run ${newer.manifest.runId} (started ${NEWER}) claimed the stable key`),
    });
    expect(await stableState(store)).toEqual({ csv: 'Count\nnewer\n', manifestRunId: newer.manifest.runId });
  });

  it('when the older CSV lands first, the newer run replaces it: the stable key only moves forward', async () => {
    const older = await stagedRun(store, 'older', OLDER);
    const newer = await stagedRun(store, 'newer', NEWER);
    const olderWrite = stepped.pauseBeforePut('charger_models_UK.csv');
    const olderPublish = publish(stepped, older);
    await olderWrite.reached;
    const newerStepped = new SteppedStore(store);
    const newerWrite = newerStepped.pauseBeforePut('charger_models_UK.csv');
    const newerPublish = publish(newerStepped, newer);
    await newerWrite.reached;

    olderWrite.release();
    // Newer than what it replaced (the previous run's), older than the claim it now sits under.
    expect(await olderPublish).toMatchObject({ action: 'published' });
    expect((await stableState(store)).csv).toBe('Count\nolder\n');
    newerWrite.release();
    expect(await newerPublish).toMatchObject({ action: 'published' });
    expect(await stableState(store)).toEqual({ csv: 'Count\nnewer\n', manifestRunId: newer.manifest.runId });
  });

  it('an attempt killed between claim and CSV write is finished by its retry', async () => {
    const run = await stagedRun(store, 'run', OLDER);
    const write = stepped.pauseBeforePut('charger_models_UK.csv');
    const killed = publish(stepped, run);
    await write.reached;
    write.release('crash');
    await expect(killed).rejects.toThrow(/worker killed/);
    // The claim stands; the CSV is still the previous run's.
    expect(await stableState(store)).toEqual({ csv: 'Count\nprevious\n', manifestRunId: run.manifest.runId });

    expect(await publish(store, run)).toEqual({ action: 'published', reason: 'claimed by an earlier attempt of this run' });
    expect(await stableState(store)).toEqual({ csv: 'Count\nrun\n', manifestRunId: run.manifest.runId });
    // A further retry finds everything in place and writes nothing.
    const before = await store.head('charger_models_UK.csv');
    expect(await publish(store, run)).toMatchObject({ action: 'published' });
    expect((await store.head('charger_models_UK.csv'))?.etag).toBe(before?.etag);
  });

  it('a publish interrupted for good is repaired by the next run with the same data', async () => {
    const abandoned = await stagedRun(store, 'abandoned', OLDER, 'Count\nsame data\n');
    const write = stepped.pauseBeforePut('charger_models_UK.csv');
    const killed = publish(stepped, abandoned);
    await write.reached;
    write.release('crash');
    await expect(killed).rejects.toThrow(/worker killed/);

    const next = await stagedRun(store, 'next', NEWER, 'Count\nsame data\n');
    expect(await publish(store, next)).toMatchObject({ action: 'published', reason: expect.stringContaining('restored it') });
    expect((await stableState(store)).csv).toBe('Count\nsame data\n');
    // Now the stable key holds that data, the next identical run leaves it alone.
    const again = await stagedRun(store, 'again', '2026-11-22T06:00:00.000Z', 'Count\nsame data\n');
    expect(await publish(store, again)).toEqual({ action: 'unchanged', reason: 'the CSV is identical to the published one' });
  });
});
