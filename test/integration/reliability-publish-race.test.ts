import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishStable, type PublishOutcome } from '../../src/publish/stablePublisher';
import { emptyChargePointStats } from '../../src/domain/chargePointStats';
import {
  CHARGE_POINTS_DATASET,
  CHARGER_MODELS_DATASET,
  type DatasetDescriptor,
  type PublishableManifest,
} from '../../src/domain/datasets';
import { StorageError } from '../../src/domain/errors';
import { historyPrefix } from '../../src/domain/manifest';
import { emptyStats } from '../../src/domain/stats';
import type { BlobInfo, BlobStore, PutOptions } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { readText } from '../support/generatedBody';
import { createBucket, sharedMinioS3Config } from '../support/services';

/**
 * Issue 5, behaviour 4, and issue 8: runs publishing to one destination at the
 * same time, on real MinIO and on a local directory. The first tests stop one
 * run's publish at a chosen storage call, let another run publish, then let the
 * first go on; the last drives three runs through random interleavings of their
 * storage calls, crashing and retrying some of them. Each for both datasets: they
 * share the protocol and differ in keys and in the counter the guard compares.
 */

interface Gate {
  /** Resolves when the paused call is reached. */
  reached: Promise<void>;
  /** Lets the paused call proceed, or fail as a crash would. */
  release(outcome?: GateOutcome): void;
}

type GateOutcome = 'proceed' | 'crash';

/** A BlobStore that awaits `before` ahead of each call publishing makes, so a test can pause, order or fail them. */
abstract class GatedStore implements BlobStore {
  constructor(private readonly inner: BlobStore) {}

  protected abstract before(operation: string, key: string): Promise<void>;

  get rootUri(): string {
    return this.inner.rootUri;
  }
  uriFor(key: string): string {
    return this.inner.uriFor(key);
  }
  async put(key: string, body: Readable | Buffer | string, options?: PutOptions): Promise<BlobInfo> {
    await this.before('put', key);
    return this.inner.put(key, body, options);
  }
  async get(key: string): Promise<Readable> {
    await this.before('get', key);
    return this.inner.get(key);
  }
  async head(key: string): Promise<BlobInfo | undefined> {
    await this.before('head', key);
    return this.inner.head(key);
  }
  async copy(fromKey: string, toKey: string): Promise<BlobInfo> {
    await this.before('copy', toKey);
    return this.inner.copy(fromKey, toKey);
  }
  list(prefix: string): AsyncIterable<BlobInfo> {
    return this.inner.list(prefix);
  }
  async delete(key: string): Promise<void> {
    await this.before('delete', key);
    return this.inner.delete(key);
  }
  async deletePrefix(prefix: string): Promise<void> {
    await this.before('deletePrefix', prefix);
    return this.inner.deletePrefix(prefix);
  }
  verifyAccess(): Promise<void> {
    return this.inner.verifyAccess();
  }
}

/** A BlobStore that can pause (or crash) a put, to force an interleaving of two publishers. */
class SteppedStore extends GatedStore {
  private readonly checkpoints: Array<{ key: string; arrive: () => void; outcome: Promise<GateOutcome> }> = [];

  /** Pauses the next put of `key` until released. */
  pauseBeforePut(key: string): Gate {
    let arrive!: () => void;
    let decide!: (outcome: GateOutcome) => void;
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    const outcome = new Promise<GateOutcome>((resolve) => (decide = resolve));
    this.checkpoints.push({ key, arrive, outcome });
    return { reached, release: (chosen = 'proceed') => decide(chosen) };
  }

  protected async before(operation: string, key: string): Promise<void> {
    const index = operation === 'put' ? this.checkpoints.findIndex((checkpoint) => checkpoint.key === key) : -1;
    if (index === -1) return;
    const [checkpoint] = this.checkpoints.splice(index, 1);
    checkpoint.arrive();
    if ((await checkpoint.outcome) === 'crash') throw new Error(`worker killed during put ${key}`);
  }
}

const OPTIONS = { force: false, maxDropFraction: 0.3 };

/** A dataset the runs publish, and the fields of its manifest that are its own (every run keeps the same count). */
interface RacedDataset {
  dataset: DatasetDescriptor<PublishableManifest>;
  /** How the suites name it: charger_models_UK's titles are those it had before there was a second dataset. */
  target: string;
  fields: object;
}

const CHARGER_MODELS: RacedDataset = {
  dataset: CHARGER_MODELS_DATASET,
  target: '',
  fields: {
    sourceUrl: 'https://registry.test/ncr.json',
    fetchedAt: '2026-11-20T06:00:00.000Z',
    source: {},
    raw: { bytes: 1, sha256: 'raw' },
    stats: { ...emptyStats(), devicesKept: 100 },
  },
};
const CHARGE_POINTS: RacedDataset = {
  dataset: CHARGE_POINTS_DATASET,
  target: 'charge_points_UK ',
  fields: {
    stats: { ...emptyChargePointStats(), evsesKept: 100 },
    feeds: { ok: 1, skipped: 0, disabled: 0, stale: 0, failed: 0, expired: 0, feedsKey: 'f', feedsUri: 'f' },
  },
};

/** A run that has transformed `csv`: its history copy is written, its manifest returned. */
async function stagedRun(
  store: BlobStore,
  { dataset, fields }: RacedDataset,
  label: string,
  runStartedAt: string,
  csv = `Count\n${label}\n`,
): Promise<PublishableManifest & Record<string, unknown>> {
  const runId = `${label}-${randomBytes(3).toString('hex')}`;
  const historyCsvKey = `${historyPrefix(runStartedAt, runId)}${dataset.csvFileName}`;
  await store.put(historyCsvKey, csv);
  return {
    manifestVersion: 1,
    dataset: dataset.name,
    ...fields,
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
}

function publish(store: BlobStore, { dataset }: RacedDataset, run: PublishableManifest): Promise<PublishOutcome> {
  return publishStable(store, dataset, run, OPTIONS);
}

async function stableState(
  store: BlobStore,
  { dataset }: RacedDataset,
): Promise<{ csv: string; manifestRunId: string }> {
  const manifest = JSON.parse(await readText(await store.get(dataset.stableManifestKey))) as PublishableManifest;
  return { csv: await readText(await store.get(dataset.stableCsvKey)), manifestRunId: manifest.runId };
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
  [
    'MinIO',
    () => openBlobStore(`s3://${bucket}/${randomBytes(4).toString('hex')}/`, { s3ClientConfig: sharedMinioS3Config() }),
  ],
  ['a local directory', () => openBlobStore(`file:${join(localRoot, randomBytes(4).toString('hex'))}`)],
];

const overlapCases = [CHARGER_MODELS, CHARGE_POINTS].flatMap((raced) =>
  backends.map(([backend, openStore]) => ({ title: `${raced.target}to ${backend}`, raced, openStore })),
);

describe.each(overlapCases)('behaviour 4: overlapping runs publishing $title', ({ raced, openStore }) => {
  const csvKey = raced.dataset.stableCsvKey;
  let store: BlobStore;
  let stepped: SteppedStore;
  // Three runs in start order: the one published before the race, an older and a newer contender.
  const T0 = '2026-11-20T06:00:00.000Z';
  const OLDER = '2026-11-21T06:00:00.000Z';
  const NEWER = '2026-11-21T06:00:05.000Z';

  beforeEach(async () => {
    store = openStore();
    stepped = new SteppedStore(store);
    expect(await publish(store, raced, await stagedRun(store, raced, 'previous', T0))).toMatchObject({
      action: 'published',
    });
  });

  it('an older run whose claim loses to a newer publish decides again and is superseded', async () => {
    const older = await stagedRun(store, raced, 'older', OLDER);
    const newer = await stagedRun(store, raced, 'newer', NEWER);
    const claim = stepped.pauseBeforePut(raced.dataset.stableManifestKey);
    const olderPublish = publish(stepped, raced, older);
    await claim.reached;

    expect(await publish(store, raced, newer)).toMatchObject({ action: 'published' });
    claim.release();
    expect(await olderPublish).toMatchObject({
      action: 'superseded',
      reason: expect.stringContaining('started later'),
    });
    expect(await stableState(store, raced)).toEqual({ csv: 'Count\nnewer\n', manifestRunId: newer.runId });
  });

  it("an older run's CSV write that races a newer claim never lands over the newer CSV", async () => {
    const older = await stagedRun(store, raced, 'older', OLDER);
    const newer = await stagedRun(store, raced, 'newer', NEWER);
    const write = stepped.pauseBeforePut(csvKey);
    const olderPublish = publish(stepped, raced, older);
    await write.reached;

    // The older run has claimed the manifest and checked it; the newer one publishes completely meanwhile.
    expect(await publish(store, raced, newer)).toMatchObject({ action: 'published' });
    write.release();
    expect(await olderPublish).toMatchObject({
      action: 'superseded',
      reason: expect.stringContaining(`run ${newer.runId} (started ${NEWER}) claimed the stable key`),
    });
    expect(await stableState(store, raced)).toEqual({ csv: 'Count\nnewer\n', manifestRunId: newer.runId });
  });

  it("an older run's paused CSV write cannot land under a newer claim that found its bytes already in place (ABA)", async () => {
    // The newer run's CSV is byte for byte the previous run's, which the stable key holds.
    const older = await stagedRun(store, raced, 'older', OLDER);
    const newer = await stagedRun(store, raced, 'newer', NEWER, 'Count\nprevious\n');
    const write = stepped.pauseBeforePut(csvKey);
    const olderPublish = publish(stepped, raced, older);
    await write.reached;

    // The newer run claims and finds its bytes in place: it writes no CSV, so the key's version
    // stays the one the older run's write is conditional on.
    expect(await publish(store, raced, newer)).toMatchObject({ action: 'published' });
    write.release();
    expect(await olderPublish).toMatchObject({
      action: 'superseded',
      reason: expect.stringContaining(`run ${newer.runId} (started ${NEWER}) claimed the stable key`),
    });
    expect(await stableState(store, raced)).toEqual({ csv: 'Count\nprevious\n', manifestRunId: newer.runId });
  });

  it('when an older CSV lands under a newer claim, the older run puts the newer CSV in its place', async () => {
    const older = await stagedRun(store, raced, 'older', OLDER);
    const newer = await stagedRun(store, raced, 'newer', NEWER);
    const olderWrite = stepped.pauseBeforePut(csvKey);
    const olderPublish = publish(stepped, raced, older);
    await olderWrite.reached;
    const newerStepped = new SteppedStore(store);
    const newerWrite = newerStepped.pauseBeforePut(csvKey);
    const newerPublish = publish(newerStepped, raced, newer);
    await newerWrite.reached;

    // The older write lands over the previous run's CSV; looking again, the older run finds the newer claim.
    olderWrite.release();
    expect(await olderPublish).toMatchObject({
      action: 'superseded',
      reason: expect.stringContaining(`run ${newer.runId} (started ${NEWER}) claimed the stable key`),
    });
    expect(await stableState(store, raced)).toEqual({ csv: 'Count\nnewer\n', manifestRunId: newer.runId });
    // The newer write, conditional on the version before, fails; looking again, the newer run finds its CSV in place.
    newerWrite.release();
    expect(await newerPublish).toMatchObject({ action: 'published' });
    expect(await stableState(store, raced)).toEqual({ csv: 'Count\nnewer\n', manifestRunId: newer.runId });
  });

  it('an attempt stopped between claim and CSV write is finished by its retry', async () => {
    const run = await stagedRun(store, raced, 'run', OLDER);
    const write = stepped.pauseBeforePut(csvKey);
    const killed = publish(stepped, raced, run);
    await write.reached;
    write.release('crash');
    await expect(killed).rejects.toThrow(/worker killed/);
    // The claim stands; the CSV is still the previous run's.
    expect(await stableState(store, raced)).toEqual({ csv: 'Count\nprevious\n', manifestRunId: run.runId });

    expect(await publish(store, raced, run)).toEqual({
      action: 'published',
      reason: 'claimed by an earlier attempt of this run',
    });
    expect(await stableState(store, raced)).toEqual({ csv: 'Count\nrun\n', manifestRunId: run.runId });
    // A further retry finds everything in place and writes nothing.
    const before = await store.head(csvKey);
    expect(await publish(store, raced, run)).toMatchObject({ action: 'published' });
    expect((await store.head(csvKey))?.etag).toBe(before?.etag);
  });

  it('a publish interrupted for good is repaired by the next run with the same data', async () => {
    const abandoned = await stagedRun(store, raced, 'abandoned', OLDER, 'Count\nsame data\n');
    const write = stepped.pauseBeforePut(csvKey);
    const killed = publish(stepped, raced, abandoned);
    await write.reached;
    write.release('crash');
    await expect(killed).rejects.toThrow(/worker killed/);

    const next = await stagedRun(store, raced, 'next', NEWER, 'Count\nsame data\n');
    expect(await publish(store, raced, next)).toMatchObject({
      action: 'published',
      reason: expect.stringContaining('restored it'),
    });
    expect((await stableState(store, raced)).csv).toBe('Count\nsame data\n');
    // Now the stable key holds that data, the next identical run leaves it alone.
    const again = await stagedRun(store, raced, 'again', '2026-11-22T06:00:00.000Z', 'Count\nsame data\n');
    expect(await publish(store, raced, again)).toEqual({
      action: 'unchanged',
      reason: 'the CSV is identical to the published one',
    });
  });
});

/** Where one publisher stands: waiting for its turn at a store call, or done. */
interface Turn {
  call: string;
  take(): void;
}

/** Thrown by a call that a scenario crashes, as a killed worker would leave it. */
class SimulatedCrash extends Error {}

/**
 * The store of one publisher in an interleaving: each call waits for the driver
 * to give it the turn, so exactly one publisher runs between two store calls.
 */
class TurnTakingStore extends GatedStore {
  /** Whether one of this publisher's writes of the stable manifest took (a claim). */
  claimed = false;
  private calls = 0;
  private arrival = deferred<Turn | undefined>();

  constructor(
    inner: BlobStore,
    /** The stable manifest's key: a put of it is a claim. */
    private readonly manifestKey: string,
    readonly name: string,
    /** The call (counting from 1) that fails as a crash would; the publish is then retried. */
    private readonly crashAtCall?: number,
  ) {
    super(inner);
  }

  /** The publisher's next turn, or undefined once it has finished. */
  nextTurn(): Promise<Turn | undefined> {
    return this.arrival.promise;
  }

  finished(): void {
    this.arrival.resolve(undefined);
  }

  override async put(key: string, body: Readable | Buffer | string, options?: PutOptions): Promise<BlobInfo> {
    const written = await super.put(key, body, options);
    if (key === this.manifestKey) this.claimed = true;
    return written;
  }

  protected async before(operation: string, key: string): Promise<void> {
    const turn = deferred<void>();
    this.arrival.resolve({
      call: `${operation} ${key}`,
      take: () => {
        // Armed before the publisher moves on, so its next call or its end resolves the fresh one.
        this.arrival = deferred();
        turn.resolve();
      },
    });
    await turn.promise;
    this.calls += 1;
    if (this.calls === this.crashAtCall) throw new SimulatedCrash(`${this.name} crashed at ${operation} ${key}`);
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** One entry of a schedule: the publisher (counting among those still running) and how many calls it makes in a row. */
interface Burst {
  publisher: number;
  calls: number;
}

/** Gives the turns to the publishers in the bursts of `schedule` (cycled), until all have finished. */
async function interleave(publishers: TurnTakingStore[], schedule: Burst[], trace: string[]): Promise<void> {
  const turns = await Promise.all(publishers.map((publisher) => publisher.nextTurn()));
  for (let burst = 0; ; burst += 1) {
    const waiting = turns.flatMap((turn, index) => (turn === undefined ? [] : [index]));
    if (waiting.length === 0) return;
    const { publisher, calls } = schedule[burst % schedule.length];
    const index = waiting[publisher % waiting.length];
    for (let call = 0; call < calls && turns[index] !== undefined; call += 1) {
      trace.push(`${publishers[index].name}: ${turns[index].call}`);
      turns[index].take();
      turns[index] = await publishers[index].nextTurn();
    }
  }
}

/** Publishes until an attempt ends, retrying crashed and retryable attempts as the upload activity's retry policy would. */
async function publishWithRetries(
  store: BlobStore,
  raced: RacedDataset,
  run: PublishableManifest,
): Promise<PublishOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await publish(store, raced, run);
    } catch (error) {
      const retryable = error instanceof SimulatedCrash || (error instanceof StorageError && error.retryable);
      if (!retryable || attempt === 10) throw error;
    }
  }
}

const CONTENTS = ['Count\nX\n', 'Count\nY\n', 'Count\nZ\n'];
const contender = fc.record({
  csv: fc.constantFrom(...CONTENTS),
  crashAtCall: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: 16 }), weight: 1 },
  ),
});
/**
 * A published CSV, three runs in start order (few distinct CSVs, so identical bytes are
 * common) and the order of their turns, in bursts so that one run often pauses for
 * many calls of another.
 */
const scenarios = fc.record({
  previous: fc.constantFrom(...CONTENTS),
  runs: fc.tuple(contender, contender, contender),
  schedule: fc.array(fc.record({ publisher: fc.nat({ max: 5 }), calls: fc.integer({ min: 1, max: 12 }) }), {
    minLength: 1,
    maxLength: 20,
  }),
});
type Scenario = typeof scenarios extends fc.Arbitrary<infer Drawn> ? Drawn : never;

/**
 * Found by this property: run1's write lands over identical bytes run2 left in place
 * (ABA), and run1's attempt crashes before it looks again; its retry, superseded at
 * the claim, must still settle the CSV.
 */
const crashRightAfterAnAbaWrite: Scenario = {
  previous: 'Count\nY\n',
  runs: [
    { csv: 'Count\nX\n', crashAtCall: 1 },
    { csv: 'Count\nX\n', crashAtCall: 10 },
    { csv: 'Count\nY\n', crashAtCall: undefined },
  ],
  schedule: [
    { publisher: 4, calls: 6 },
    { publisher: 2, calls: 7 },
    { publisher: 0, calls: 1 },
  ],
};

const interleavingRuns = [40, 200];
const interleavingCases = [CHARGER_MODELS, CHARGE_POINTS].flatMap((raced) =>
  backends.map(([backend, openStore], index) => ({
    title: `${raced.target}to ${backend}`,
    raced,
    openStore,
    numRuns: interleavingRuns[index],
  })),
);

describe.each(interleavingCases)(
  'behaviour 4: three runs publishing $title in random interleavings',
  ({ raced, openStore, numRuns }) => {
    it("end with the stable CSV the stable manifest describes, and it is the newest claimant's", async () => {
      await fc.assert(
        fc.asyncProperty(scenarios, async ({ previous, runs, schedule }) => {
          const store = openStore();
          const published = await stagedRun(store, raced, 'previous', '2026-11-20T06:00:00.000Z', previous);
          await publish(store, raced, published);
          const staged = await Promise.all(
            runs.map(({ csv }, index) =>
              stagedRun(store, raced, `run${index}`, `2026-11-21T06:00:0${index}.000Z`, csv),
            ),
          );
          const publishers = runs.map(
            ({ crashAtCall }, index) =>
              new TurnTakingStore(store, raced.dataset.stableManifestKey, `run${index}`, crashAtCall),
          );
          const outcomes = staged.map((run, index) =>
            publishWithRetries(publishers[index], raced, run).finally(() => publishers[index].finished()),
          );
          const trace: string[] = [];
          await interleave(publishers, schedule, trace);
          const ended = await Promise.all(outcomes);

          const why = `after the turns\n  ${trace.join('\n  ')}\nthe outcomes were ${JSON.stringify(ended)}`;
          const manifest = JSON.parse(
            await readText(await store.get(raced.dataset.stableManifestKey)),
          ) as PublishableManifest;
          const csv = await readText(await store.get(raced.dataset.stableCsvKey));
          // The invariant: the stable CSV is the one the stable manifest describes.
          expect(createHash('sha256').update(csv).digest('hex'), why).toBe(manifest.csv.sha256);
          expect(csv, why).toBe(await readText(await store.get(manifest.csv.key)));
          // Never older than the newest claim: the newest run that wrote the manifest holds it, and its CSV is published.
          const newestClaim = publishers.map((publisher) => publisher.claimed).lastIndexOf(true);
          if (newestClaim === -1) {
            expect(manifest.runId, why).toBe(published.runId);
          } else {
            expect(manifest.runId, why).toBe(staged[newestClaim].runId);
            expect(ended[newestClaim], why).toMatchObject({ action: 'published' });
          }
        }),
        { numRuns, examples: [[crashRightAfterAnAbaWrite]] },
      );
    });
  },
);
