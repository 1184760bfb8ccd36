import { buffer, json } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors';
import { STABLE_CSV_KEY, STABLE_MANIFEST_KEY, type Manifest } from '../../src/domain/manifest';
import {
  NOW,
  SOURCE_URL,
  activityHarness,
  applicationFailureOf,
  runStages,
  stagedFiles,
  uploadInput,
  type ActivityHarness,
} from '../support/activityHarness';
import { offlineCsv } from '../support/expectedCsv';
import { samplePayload } from '../support/registryPayload';

// No validators: every run downloads (a 304 would end the run before upload).
const SAMPLE = { body: samplePayload() };
const RUN_1 = { runId: 'run-1', runStartedAt: '2026-11-30T06:00:00.000Z' };
const RUN_2 = { runId: 'run-2', runStartedAt: '2026-12-01T06:00:00.000Z' };

async function bytesAt(harness: ActivityHarness, key: string): Promise<Buffer> {
  return buffer(await harness.store.get(key));
}

async function manifestAt(harness: ActivityHarness, key: string): Promise<Manifest> {
  return (await json(await harness.store.get(key))) as Manifest;
}

describe('upload activity', () => {
  it('writes the history copy and its manifest, publishes them as the stable CSV and manifest, and removes staging', async () => {
    const harness = await activityHarness(SAMPLE);
    const expectedCsv = await offlineCsv(SAMPLE.body);

    const { fetched, transformed, uploaded } = await runStages(harness, RUN_1);

    const history = 'history/2026-11-30/run-1/';
    expect(uploaded).toEqual({
      historyCsvUri: harness.store.uriFor(`${history}charger_models_UK.csv`),
      manifestUri: harness.store.uriFor(`${history}manifest.json`),
      stableUri: harness.store.uriFor(STABLE_CSV_KEY),
      published: true,
      unchanged: false,
      reason: 'first publish',
      durationMs: expect.any(Number) as number,
    });
    expect(await bytesAt(harness, `${history}charger_models_UK.csv`)).toEqual(expectedCsv);
    expect(await bytesAt(harness, STABLE_CSV_KEY)).toEqual(expectedCsv);
    const manifest: Manifest = {
      manifestVersion: 1,
      dataset: 'charger_models_UK',
      sourceUrl: SOURCE_URL,
      fetchedAt: NOW.toISOString(),
      source: {},
      raw: { bytes: fetched.bytes, sha256: fetched.sha256 },
      stats: transformed.stats,
      csv: {
        key: `${history}charger_models_UK.csv`,
        uri: uploaded.historyCsvUri,
        bytes: expectedCsv.length,
        sha256: transformed.sha256,
      },
      workflowId: 'charger-etl-test',
      runId: 'run-1',
      runStartedAt: RUN_1.runStartedAt,
      codeVersion: 'activity-tests',
    };
    expect(await manifestAt(harness, `${history}manifest.json`)).toEqual(manifest);
    expect(await manifestAt(harness, STABLE_MANIFEST_KEY)).toEqual(manifest);
    expect(await stagedFiles(harness)).toEqual([]);
  });

  it('leaves the stable key alone and reports unchanged when a later run makes an identical CSV', async () => {
    const harness = await activityHarness(SAMPLE);
    await runStages(harness, RUN_1);
    const stableBefore = await harness.store.head(STABLE_CSV_KEY);

    const { uploaded } = await runStages(harness, RUN_2);

    expect(uploaded).toMatchObject({
      published: false,
      unchanged: true,
      reason: 'the CSV is identical to the published one',
    });
    expect(await harness.store.head(STABLE_CSV_KEY)).toEqual(stableBefore);
    expect(await manifestAt(harness, STABLE_MANIFEST_KEY)).toMatchObject({ runId: 'run-1' });
    expect(await harness.store.head('history/2026-12-01/run-2/charger_models_UK.csv')).toBeDefined();
    expect(await stagedFiles(harness)).toEqual([]);
  });

  it('fails for good with PublishRefused when the publish guard objects, keeping the new CSV in history only', async () => {
    const harness = await activityHarness(SAMPLE);
    await runStages(harness, RUN_1);
    const publishedCsv = await bytesAt(harness, STABLE_CSV_KEY);
    harness.source.serve({ body: Buffer.from('{"Scheme":{},"ChargeDevice":[]}') });

    const failure = await applicationFailureOf(runStages(harness, RUN_2));

    const historyUri = harness.store.uriFor('history/2026-12-01/run-2/charger_models_UK.csv');
    expect(failure).toMatchObject({ type: ERROR_CODES.publishRefused, nonRetryable: true });
    expect(failure.message).toBe(
      `publish guard refused to replace ${harness.store.uriFor(STABLE_CSV_KEY)}: devicesKept fell from 3 to 0; ` +
        `the new CSV is kept at ${historyUri}; rerun with force to publish it anyway`,
    );
    expect(await bytesAt(harness, STABLE_CSV_KEY)).toEqual(publishedCsv);
    expect(await manifestAt(harness, STABLE_MANIFEST_KEY)).toMatchObject({ runId: 'run-1' });
    expect(await harness.store.head('history/2026-12-01/run-2/charger_models_UK.csv')).toBeDefined();
  });

  it('returns the same result when retried after it completed, although staging is gone', async () => {
    const harness = await activityHarness(SAMPLE);
    const { fetched, transformed, uploaded } = await runStages(harness, RUN_1);
    const manifestBefore = await harness.store.head(STABLE_MANIFEST_KEY);

    const retried = await harness
      .attempt({ ...RUN_1, attempt: 2 })
      .run(harness.activities.upload, uploadInput(harness.destination, SOURCE_URL, fetched, transformed, RUN_1));

    expect(retried).toEqual({
      ...uploaded,
      reason: 'claimed by an earlier attempt of this run',
      durationMs: expect.any(Number) as number,
    });
    expect(await harness.store.head(STABLE_MANIFEST_KEY)).toEqual(manifestBefore);
    expect(await bytesAt(harness, STABLE_CSV_KEY)).toEqual(await offlineCsv(SAMPLE.body));
  });
});
