import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors';
import { STABLE_CSV_KEY } from '../../src/domain/manifest';
import {
  NOW,
  SOURCE_URL,
  activityHarness,
  applicationFailureOf,
  runStages,
  stagedFiles,
  type ActivityHarness,
} from '../support/activityHarness';
import { samplePayload, scaledPayload } from '../support/registryPayload';

const VALIDATORS = { etag: '"v1"', lastModified: 'Sun, 29 Nov 2026 06:00:00 GMT' };
const SAMPLE = { body: samplePayload(), ...VALIDATORS };
const RAW_KEY = '_staging/charger-etl-test/run-2/raw.json';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Publishes the sample as run-1, so the store holds a published manifest with the sample's validators. */
async function publishSample(harness: ActivityHarness) {
  return runStages(harness, { runId: 'run-1', runStartedAt: '2026-11-30T06:00:00.000Z' });
}

describe('fetchData activity', () => {
  it("stages the payload at the run's staging key with its sha256 and size, and what the registry declared", async () => {
    const harness = await activityHarness(SAMPLE);
    const attempt = harness.attempt({ runId: 'run-2' });

    const result = await attempt.run(harness.activities.fetchData, { destination: harness.destination });

    expect(result).toEqual({
      notModified: false,
      rawKey: RAW_KEY,
      bytes: SAMPLE.body.length,
      sha256: sha256(SAMPLE.body),
      fetchedAt: NOW.toISOString(),
      etag: VALIDATORS.etag,
      lastModified: VALIDATORS.lastModified,
      contentType: 'application/json',
      durationMs: expect.any(Number) as number,
    });
    expect(await buffer(await harness.store.get(RAW_KEY))).toEqual(SAMPLE.body);
    // Nothing published yet: nothing to be conditional on.
    expect(harness.source.requests).toEqual([{ method: 'open', url: SOURCE_URL, conditional: undefined }]);
  });

  it('heartbeats bytesFetched as the body arrives, ending at the whole payload', async () => {
    const body = scaledPayload(2_000);
    const harness = await activityHarness({ body });
    const { run, heartbeats } = harness.attempt();

    await run(harness.activities.fetchData, { destination: harness.destination });

    const counts = heartbeats.map(({ bytesFetched }) => bytesFetched ?? -1);
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(body.length);
    expect(counts.filter((bytes) => bytes > 0 && bytes < body.length).length).toBeGreaterThan(10);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it("sends the published run's validators for the same URL, and a 304 returns the published dataset", async () => {
    const harness = await activityHarness(SAMPLE);
    const published = await publishSample(harness);
    const attempt = harness.attempt({ runId: 'run-2' });
    harness.source.requests.length = 0;

    const result = await attempt.run(harness.activities.fetchData, { destination: harness.destination });

    expect(harness.source.requests).toEqual([{ method: 'open', url: SOURCE_URL, conditional: VALIDATORS }]);
    expect(result).toEqual({
      notModified: true,
      published: {
        runId: 'run-1',
        rawBytes: published.fetched.bytes,
        rawSha256: published.fetched.sha256,
        stats: published.transformed.stats,
        csv: {
          uri: published.uploaded.historyCsvUri,
          sha256: published.transformed.sha256,
          bytes: published.transformed.bytes,
        },
        manifestUri: published.uploaded.manifestUri,
        stableUri: harness.store.uriFor(STABLE_CSV_KEY),
      },
      durationMs: expect.any(Number) as number,
    });
    expect(await stagedFiles(harness)).toEqual([]);
  });

  it('sends no validators for another source URL than the published run fetched, and downloads', async () => {
    const harness = await activityHarness(SAMPLE);
    await publishSample(harness);
    const attempt = harness.attempt({ runId: 'run-2' });
    harness.source.requests.length = 0;
    const mirror = 'https://mirror.test/ncr/charge-devices.json';

    const result = await attempt.run(harness.activities.fetchData, {
      sourceUrl: mirror,
      destination: harness.destination,
    });

    expect(harness.source.requests).toEqual([{ method: 'open', url: mirror, conditional: undefined }]);
    expect(result).toMatchObject({ notModified: false, rawKey: RAW_KEY, sha256: sha256(SAMPLE.body) });
  });

  it('sends no validators when forced, and downloads', async () => {
    const harness = await activityHarness(SAMPLE);
    await publishSample(harness);
    const attempt = harness.attempt({ runId: 'run-2' });
    harness.source.requests.length = 0;

    const result = await attempt.run(harness.activities.fetchData, { destination: harness.destination, force: true });

    expect(harness.source.requests).toEqual([{ method: 'open', url: SOURCE_URL, conditional: undefined }]);
    expect(result).toMatchObject({ notModified: false, rawKey: RAW_KEY });
  });

  it("fails with the body's own retryable SourceError when the connection drops, and stages nothing", async () => {
    const harness = await activityHarness({ body: scaledPayload(200) });
    harness.source.dropAfter(40_000);
    const attempt = harness.attempt({ runId: 'run-2' });

    const failure = await applicationFailureOf(
      attempt.run(harness.activities.fetchData, { destination: harness.destination }),
    );

    expect(failure).toMatchObject({
      type: ERROR_CODES.source,
      nonRetryable: false,
      message: `connection to ${SOURCE_URL} dropped after 40000 bytes`,
    });
    expect(await stagedFiles(harness)).toEqual([]);
  });
});
