import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors';
import { referenceTransform } from '../../src/transform/reference';
import {
  SOURCE_URL,
  activityHarness,
  applicationFailureOf,
  stagedFiles,
  type ActivityAttempt,
  type ActivityHarness,
} from '../support/activityHarness';
import { offlineCsv } from '../support/expectedCsv';
import { samplePayload, scaledPayload } from '../support/registryPayload';
import type { ServedPayload } from '../support/fakeRegistrySource';

const STAGING = '_staging/charger-etl-test/run-1/';
const CSV_KEY = `${STAGING}charger_models_UK.csv`;

/** fetchData then transform in one attempt context, handed on as chargerEtl does; resolves with transform's result. */
async function fetchAndTransform(harness: ActivityHarness, attempt: ActivityAttempt = harness.attempt()) {
  const fetched = await attempt.run(harness.activities.fetchData, { destination: harness.destination });
  if (fetched.notModified) throw new Error('unexpected 304');
  return attempt.run(harness.activities.transform, {
    destination: harness.destination,
    rawKey: fetched.rawKey,
    sourceUrl: SOURCE_URL,
    contentType: fetched.contentType,
  });
}

describe('transform activity', () => {
  it('stages the CSV and stats the offline transform makes of the sample', async () => {
    const payload = samplePayload();
    const harness = await activityHarness({ body: payload });

    const result = await fetchAndTransform(harness);

    const csv = await buffer(await harness.store.get(CSV_KEY));
    expect(csv).toEqual(await offlineCsv(payload));
    expect(result).toEqual({
      csvKey: CSV_KEY,
      sha256: createHash('sha256').update(csv).digest('hex'),
      bytes: csv.length,
      stats: referenceTransform(payload.toString('utf8')).stats,
      durationMs: expect.any(Number) as number,
    });
  });

  it('heartbeats devicesProcessed while it reads, ending at every device', async () => {
    const devices = 1_500;
    const harness = await activityHarness({ body: scaledPayload(devices) });
    const attempt = harness.attempt();
    const fetched = await attempt.run(harness.activities.fetchData, { destination: harness.destination });
    if (fetched.notModified) throw new Error('unexpected 304');
    attempt.heartbeats.length = 0;

    await attempt.run(harness.activities.transform, { destination: harness.destination, rawKey: fetched.rawKey });

    const counts = attempt.heartbeats.map(({ devicesProcessed }) => devicesProcessed ?? -1);
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(devices);
    expect(counts.some((count) => count > 0 && count < devices)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it('fails for good on a JSON array, naming the URL, the content type and the start of the body, staging no CSV', async () => {
    const payload: ServedPayload = {
      body: Buffer.from('[{"ChargeDeviceId":"5039c877","ChargeDeviceModel":"CPE200T"}]'),
      contentType: 'application/json; charset=utf-8',
    };
    const harness = await activityHarness(payload);

    const failure = await applicationFailureOf(fetchAndTransform(harness));

    expect(failure).toMatchObject({ type: ERROR_CODES.payload, nonRetryable: true });
    expect(failure.message).toContain('not a registry payload: the document is an array');
    expect(failure.message).toContain(
      `the registry at ${SOURCE_URL} sent Content-Type application/json; charset=utf-8, ` +
        'starting: [{"ChargeDeviceId":"5039c877","ChargeDeviceModel":"CPE200T"}]',
    );
    expect(await stagedFiles(harness)).toEqual([`${STAGING}raw.json`]);
  });

  it('fails retryably with TruncatedPayloadError on a payload that ends early, staging no CSV', async () => {
    const payload = samplePayload();
    const harness = await activityHarness({ body: payload });
    harness.source.truncateAfter(Math.floor(payload.length / 2));

    const failure = await applicationFailureOf(fetchAndTransform(harness));

    expect(failure).toMatchObject({ type: ERROR_CODES.truncatedPayload, nonRetryable: false });
    expect(await stagedFiles(harness)).toEqual([`${STAGING}raw.json`]);
  });
});
