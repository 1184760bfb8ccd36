import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPublishedManifest } from '../../src/publish/publishedManifest';
import { CHARGER_MODELS_DATASET } from '../../src/domain/datasets';
import type { Manifest } from '../../src/domain/manifest';
import type { ChargerEtlInput, RunReport } from '../../src/domain/runReport';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { offlineCsv } from '../support/expectedCsv';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { readBytes, readText } from '../support/generatedBody';
import { samplePayload, scaledPayload } from '../support/registryPayload';
import { activityAttempts, eventually, failureOf, fetchingBytes, progressOf } from '../support/runInspection';
import { createBucket, sharedMinioS3Config } from '../support/services';

/**
 * Issue 5, behaviours 3 and 4 on real runs: the publish guard, idempotent
 * publishing and overlapping runs to one destination.
 */
const FULL = scaledPayload(1_000); // devicesKept 600
const SLIGHTLY_SMALLER = scaledPayload(800); // 480: −20 %, within the limit
const SHRUNK = scaledPayload(600); // 360: −40 %, beyond it
const EMPTY = Buffer.from(
  JSON.stringify({ Scheme: JSON.parse(samplePayload().toString('utf8')).Scheme, ChargeDevice: [] }),
);

let registry: FaultyRegistry;
let harness: EtlHarness;
let bucket: string;
let s3: S3Client;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/full.json', { body: FULL });
  registry.serve('/slightly-smaller.json', { body: SLIGHTLY_SMALLER });
  registry.serve('/shrunk.json', { body: SHRUNK });
  registry.serve('/empty.json', { body: EMPTY });
  // Slow enough to be overtaken by a run started after it, even when a busy machine takes many
  // seconds over that newer run (30 s of download; a quiet machine needs about two).
  registry.serve('/full-slowly.json', { body: FULL, bytesPerSecond: FULL.length / 30 });
  bucket = await createBucket();
  // Versioning shows every write of a key, so "not rewritten" and "no duplicates" can be checked.
  s3 = new S3Client(sharedMinioS3Config());
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  harness = await startEtlHarness();
});

afterAll(async () => {
  await harness?.stop();
  await registry?.close();
  s3?.destroy();
});

function destination(): string {
  return `s3://${bucket}/${randomBytes(4).toString('hex')}/`;
}

function runOf(path: string, target: string, extra: Partial<ChargerEtlInput> = {}) {
  return harness.start({ sourceUrl: registry.url(path), destination: target, ...extra });
}

async function stable(target: string): Promise<{ csv: Buffer; manifest: Manifest }> {
  const store = openBlobStore(target);
  return {
    csv: await readBytes(await store.get('charger_models_UK.csv')),
    manifest: JSON.parse(await readText(await store.get('manifest.json'))) as Manifest,
  };
}

/** Every version S3 holds of `key` under `target`, oldest first: one per write. */
async function writesOf(target: string, key: string): Promise<Buffer[]> {
  const objectKey = target.slice(`s3://${bucket}/`.length) + key;
  const listing = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: objectKey }));
  // S3 lists the versions of a key newest first.
  const versions = (listing.Versions ?? []).filter((version) => version.Key === objectKey).reverse();
  const bodies: Buffer[] = [];
  for (const { VersionId } of versions) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey, VersionId }));
    bodies.push(Buffer.from(await object.Body!.transformToByteArray()));
  }
  return bodies;
}

/** A gate a test opens once: `done` resolves on release(). */
function released(): { done: Promise<void>; release: () => void } {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

/** `body`, sent once every gate in `gates` is open. */
async function* heldBody(body: Buffer, gates: Array<Promise<void>>): AsyncGenerator<Buffer> {
  await Promise.all(gates);
  yield body;
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** How many versions S3 holds of `key` under `target`: one per write. */
async function versionsOf(target: string, key: string): Promise<number> {
  const prefix = target.slice(`s3://${bucket}/`.length) + key;
  const listing = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  return (listing.Versions ?? []).filter((version) => version.Key === prefix).length;
}

describe('behaviour 3: publish guard', () => {
  it('the first publish has no guard, even for an empty dataset', async () => {
    const report = await (await runOf('/empty.json', destination())).result();
    expect(report).toMatchObject({ published: true, publishReason: 'first publish', stats: { devicesKept: 0 } });
  });

  describe('against a published dataset of 600 devices', () => {
    let target: string;
    let first: RunReport;

    beforeAll(async () => {
      target = destination();
      first = await (await runOf('/full.json', target)).result();
      expect(first.published).toBe(true);
    });

    it('a fall in devicesKept beyond PUBLISH_MAX_DROP_FRACTION fails the run non-retryably; the stable CSV stays and the new one is kept in history', async () => {
      const handle = await runOf('/shrunk.json', target);
      const failure = await failureOf(handle);

      expect(failure).toMatchObject({ activityType: 'upload', type: 'PublishRefused', nonRetryable: true });
      expect(failure.message).toContain('devicesKept fell from 600 to 360 (-40.0%, limit 30%)');
      expect(failure.message).toContain('rerun with force');
      expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({ upload: [1] });
      // The operator's view: where and why it stopped.
      expect(await progressOf(handle)).toMatchObject({
        stage: 'failed',
        failedStage: 'upload',
        lastFailure: expect.stringContaining('publish guard refused'),
      });

      const published = await stable(target);
      expect(published.manifest.runId).toBe(first.runId);
      expect(published.csv.equals(await offlineCsv(FULL))).toBe(true);
      const kept = /the new CSV is kept at (s3:\/\/\S+charger_models_UK\.csv)/.exec(failure.message)?.[1];
      expect(kept).toBeDefined();
      const store = openBlobStore(target);
      expect((await readBytes(await store.get(kept!.slice(target.length)))).equals(await offlineCsv(SHRUNK))).toBe(
        true,
      );
    });

    it('zero devices after a non-empty publish is refused', async () => {
      const failure = await failureOf(await runOf('/empty.json', target));
      expect(failure).toMatchObject({ type: 'PublishRefused', nonRetryable: true });
      expect(failure.message).toContain('devicesKept fell from 600 to 0');
      expect((await stable(target)).manifest.runId).toBe(first.runId);
    });

    it('force publishes despite the guard', async () => {
      const report = await (await runOf('/shrunk.json', target, { force: true })).result();
      expect(report).toMatchObject({ published: true, publishReason: 'forced' });
      const published = await stable(target);
      expect(published.manifest.runId).toBe(report.runId);
      expect(published.csv.equals(await offlineCsv(SHRUNK))).toBe(true);
    });
  });

  it('a fall within the limit is published without force', async () => {
    const target = destination();
    await (await runOf('/full.json', target)).result();
    const report = await (await runOf('/slightly-smaller.json', target)).result();
    expect(report).toMatchObject({ published: true, publishReason: 'passes the publish guard' });
  });
});

describe('behaviour 4: idempotent publishing', () => {
  it('a CSV identical to the published one does not rewrite the stable key or its manifest', async () => {
    const target = destination();
    const first = await (await runOf('/full.json', target)).result();
    const second = await (await runOf('/full.json', target)).result();

    expect(second).toMatchObject({
      published: false,
      unchanged: true,
      publishReason: 'the CSV is identical to the published one',
    });
    expect(second.csv.sha256).toBe(first.csv.sha256);
    expect(await versionsOf(target, 'charger_models_UK.csv')).toBe(1);
    expect(await versionsOf(target, 'manifest.json')).toBe(1);
    expect((await stable(target)).manifest.runId).toBe(first.runId);
    // Each run keeps its own history copy and manifest, written once.
    for (const report of [first, second]) {
      const historyKey = report.csv.uri.slice(target.length);
      expect(await versionsOf(target, historyKey)).toBe(1);
      expect(await versionsOf(target, historyKey.replace(/charger_models_UK\.csv$/, 'manifest.json'))).toBe(1);
    }
  });
});

describe('behaviour 4: overlapping runs to one destination', () => {
  it('an older run that reaches upload after a newer one has published is superseded and publishes nothing', async () => {
    const target = destination();
    const older = await runOf('/full-slowly.json', target);
    // Let the older run get well into its slow download before the newer one starts.
    await fetchingBytes(older, 'the older run is downloading');
    const newer = await runOf('/slightly-smaller.json', target);
    const newerReport = await newer.result();
    expect(newerReport.published).toBe(true);

    const olderReport = await older.result();
    expect(olderReport).toMatchObject({ published: false, unchanged: false });
    expect(olderReport.publishReason).toMatch(
      new RegExp(`run ${newerReport.runId} started later .* and has already published`),
    );
    const published = await stable(target);
    expect(published.manifest.runId).toBe(newerReport.runId);
    expect(published.csv.equals(await offlineCsv(SLIGHTLY_SMALLER))).toBe(true);
    expect(await versionsOf(target, 'charger_models_UK.csv')).toBe(1);
  });

  it("runs racing to publish at the same time leave the newest run's dataset at the stable key; the oldest, finishing last, is superseded", async () => {
    const target = destination();
    // In start order; the newer the run, the smaller its payload, so newer runs tend to finish first.
    const payloads = [1_000, 980, 960, 940, 920].map((devices) => scaledPayload(devices));
    // Every body is held until all five runs are fetching, so they transform and publish side by
    // side; the oldest run's is held further, until the newest run has claimed the stable key.
    const allFetching = released();
    const newestClaimed = released();
    let fetching = 0;
    const paths = payloads.map((body, index) => {
      const path = `/race-${index}.json`;
      registry.serveStream(path, () => {
        fetching += 1;
        if (fetching === payloads.length) allFetching.release();
        return Readable.from(heldBody(body, index === 0 ? [allFetching.done, newestClaimed.done] : [allFetching.done]));
      });
      return path;
    });
    // Started one after another, so their start times are ordered.
    const handles = [];
    for (const path of paths) handles.push(await runOf(path, target));
    const newestWorkflowId = handles.at(-1)!.workflowId;
    await eventually(
      async () =>
        (await readPublishedManifest(openBlobStore(target), CHARGER_MODELS_DATASET)).manifest?.workflowId ===
        newestWorkflowId,
      'the newest run has claimed the stable key',
    );
    newestClaimed.release();
    const reports = await Promise.all(handles.map((handle) => handle.result()));
    const manifests = await Promise.all(
      reports.map(
        async (report) =>
          JSON.parse(
            await readText(await openBlobStore(target).get(report.manifestUri.slice(target.length))),
          ) as Manifest,
      ),
    );
    // The order the server recorded the starts in is the order the runs publish in.
    const started = await Promise.all(handles.map(async (handle) => (await handle.describe()).startTime.toISOString()));
    expect(manifests.map((manifest) => manifest.runStartedAt)).toEqual(started);
    expect([...started].sort()).toEqual(started);

    const newest = reports.at(-1)!;
    expect(newest.published).toBe(true);
    expect(reports[0]).toMatchObject({ published: false, unchanged: false });
    expect(reports[0].publishReason).toMatch(
      new RegExp(`run ${newest.runId} started later .* and has already published`),
    );
    // The others raced the newest run: each published before it claimed, or was superseded.
    for (const report of reports.slice(1, -1)) {
      if (!report.published) expect(report.publishReason).toMatch(/started later|claimed the stable key/);
    }
    const published = await stable(target);
    expect(published.manifest.runId).toBe(newest.runId);
    expect(published.csv.equals(await offlineCsv(payloads.at(-1)!))).toBe(true);
    // Every write of the stable key and of its manifest came from a run started after the one it replaced.
    const startOrder = (sha256: string) => reports.findIndex((report) => report.csv.sha256 === sha256);
    const csvWrites = (await writesOf(target, 'charger_models_UK.csv')).map((csv) => startOrder(sha256Of(csv)));
    const manifestWrites = (await writesOf(target, 'manifest.json')).map((manifest) =>
      startOrder((JSON.parse(manifest.toString('utf8')) as Manifest).csv.sha256),
    );
    for (const writes of [csvWrites, manifestWrites]) {
      expect(
        writes.every((index, position) => index >= 0 && (position === 0 || index > writes[position - 1])),
        String(writes),
      ).toBe(true);
      expect(writes.at(-1)).toBe(reports.length - 1);
    }
  });
});
