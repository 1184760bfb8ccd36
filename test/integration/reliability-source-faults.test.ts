import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargerEtlInput, RunReport } from '../../src/domain/runReport';
import type { BlobStore } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { offlineCsv } from '../support/expectedCsv';
import { startFaultyRegistry, type Fault, type FaultyRegistry, type RecordedRequest } from '../support/faultyRegistry';
import { generatedBody, readBytes } from '../support/generatedBody';
import { samplePayload, scaledPayload } from '../support/registryPayload';
import { activityAttempts, activityLastFailures, eventually, failureOf, progressOf } from '../support/runInspection';
import { createBucket } from '../support/services';

/**
 * Issue 5, behaviours 1, 2, 8 and 10: what a run does when the registry misbehaves,
 * on the real dev server, MinIO and a local faulty registry. The worker's source
 * timeouts and size cap are set low so each fault costs seconds, not minutes.
 */
const CONNECT_TIMEOUT_MS = 2_000;
const IDLE_TIMEOUT_MS = 2_000;
const MAX_BYTES = 1_000_000;
const PAYLOAD = samplePayload();

let registry: FaultyRegistry;
let harness: EtlHarness;
let bucket: string;
let expectedCsv: Buffer;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  bucket = await createBucket();
  expectedCsv = await offlineCsv(PAYLOAD);
  harness = await startEtlHarness({
    SOURCE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    SOURCE_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
    SOURCE_MAX_BYTES: String(MAX_BYTES),
  });
});

afterAll(async () => {
  await harness?.stop();
  await registry?.close();
});

/** A registry path of its own serving the sample payload, with `faults` queued for its first requests. */
function servePath(faults: Fault[] = [], body: Buffer = PAYLOAD): string {
  const path = `/ncr-${randomBytes(4).toString('hex')}.json`;
  registry.serve(path, { body });
  registry.failNext(path, faults);
  return path;
}

function requestsTo(path: string): RecordedRequest[] {
  return registry.requests.filter((request) => request.path === path);
}

function freshDestination(): string {
  return `s3://${bucket}/${randomBytes(4).toString('hex')}/`;
}

async function run(input: ChargerEtlInput): Promise<RunReport> {
  return (await harness.start(input)).result();
}

async function stableCsv(destination: string): Promise<Buffer> {
  const store: BlobStore = openBlobStore(destination);
  return readBytes(await store.get('charger_models_UK.csv'));
}

/** Seconds between consecutive requests. */
function secondsBetween(requests: RecordedRequest[]): number[] {
  return requests.slice(1).map((request, index) => (request.receivedAt - requests[index].receivedAt) / 1000);
}

describe('behaviour 1: source faults', () => {
  it('502 and 503 are retried with backoff and the run succeeds once the registry recovers', async () => {
    // The probe (HEAD) gets 502 then 503, the download (GET) one more 503.
    const path = servePath([{ status: 502 }, { status: 503 }, {}, { status: 503 }]);
    const destination = freshDestination();
    const handle = await harness.start({ sourceUrl: registry.url(path), destination });
    // Between attempts, `status` and the Web UI show the pending activity, its attempt and its last failure.
    const pending = await eventually(
      async () => (await handle.describe()).raw.pendingActivities?.find((activity) => (activity.attempt ?? 0) >= 2),
      'checkStatus is retried',
    );
    expect(pending.activityType?.name).toBe('checkStatus');
    expect(pending.lastFailure?.message).toMatch(/^registry returned 50[23] /);
    const report = await handle.result();

    expect(report.published).toBe(true);
    expect((await stableCsv(destination)).equals(expectedCsv)).toBe(true);
    const requests = requestsTo(path);
    expect(requests.map((request) => request.method)).toEqual(['HEAD', 'HEAD', 'HEAD', 'GET', 'GET']);
    // Backoff: checkStatus's second retry waits about twice as long as its first (2 s, then 4 s).
    const [first, second] = secondsBetween(requests);
    expect(first).toBeGreaterThanOrEqual(1.9);
    expect(second).toBeGreaterThanOrEqual(3.9);
    expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({
      checkStatus: [3],
      fetchData: [2],
    });
  });

  it('timeouts (no response headers in time, a body that stalls) are retried and the run succeeds', async () => {
    const path = servePath([
      {},
      { delayMs: CONNECT_TIMEOUT_MS + 3_000 },
      { stallAfterBytes: 1_000, stallMs: IDLE_TIMEOUT_MS + 3_000 },
    ]);
    const destination = freshDestination();
    const handle = await harness.start({ sourceUrl: registry.url(path), destination });
    const report = await handle.result();

    expect(report.published).toBe(true);
    expect((await stableCsv(destination)).equals(expectedCsv)).toBe(true);
    expect(requestsTo(path).map((request) => request.method)).toEqual(['HEAD', 'GET', 'GET', 'GET']);
    expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({ fetchData: [3] });
  });

  it('a connection reset mid-body is retried and the run succeeds', async () => {
    const path = servePath([{}, { resetAfterBytes: 4_000 }]);
    const destination = freshDestination();
    const handle = await harness.start({ sourceUrl: registry.url(path), destination });
    const report = await handle.result();

    expect(report).toMatchObject({ published: true, rawBytes: PAYLOAD.length });
    expect((await stableCsv(destination)).equals(expectedCsv)).toBe(true);
    expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({ fetchData: [2] });
    // What the Web UI shows as the retried activity's last failure: the source's, not the storage's.
    const [lastFailure] = (await activityLastFailures(harness.client, handle.workflowId)).fetchData;
    expect(lastFailure).toMatch(/^body truncated: received 4000 of \d+ bytes from http:\/\/127\.0\.0\.1:\d+\/ncr-/);
  });

  it('429 honours Retry-After rather than the retry policy', async () => {
    // The policy's first retry would come after 2 s; the registry asks for 5.
    const path = servePath([{}, { status: 429, retryAfter: 5 }]);
    const handle = await harness.start({ sourceUrl: registry.url(path), destination: freshDestination() });
    const report = await handle.result();

    expect(report.published).toBe(true);
    const gets = requestsTo(path).filter((request) => request.method === 'GET');
    expect(gets).toHaveLength(2);
    const [gap] = secondsBetween(gets);
    expect(gap).toBeGreaterThanOrEqual(4.9);
    expect(gap).toBeLessThan(10);
    expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({ fetchData: [2] });
    expect((await activityLastFailures(harness.client, handle.workflowId)).fetchData).toEqual([
      expect.stringContaining('registry returned 429 Too Many Requests for http://127.0.0.1:'),
    ]);
  });

  it.each([401, 403, 404])('%i fails fast and non-retryably, naming the URL and the status', async (status) => {
    const path = servePath([{ status }]);
    const handle = await harness.start({ sourceUrl: registry.url(path), destination: freshDestination() });
    const failure = await failureOf(handle);

    expect(failure).toMatchObject({ activityType: 'checkStatus', type: 'SourceError', nonRetryable: true });
    expect(failure.message).toContain(registry.url(path));
    expect(failure.message).toContain(`returned ${status}`);
    expect(requestsTo(path)).toHaveLength(1);
    const progress = await progressOf(handle);
    expect(progress).toMatchObject({ stage: 'failed', failedStage: 'checkStatus' });
    expect(progress.lastFailure).toContain(`returned ${status}`);
  });

  it('a body cut short of its Content-Length is fetched again and the run succeeds', async () => {
    const path = servePath([{}, { truncateAfterBytes: 5_000 }]);
    const destination = freshDestination();
    const handle = await harness.start({ sourceUrl: registry.url(path), destination });
    const report = await handle.result();

    expect(report).toMatchObject({ published: true, rawBytes: PAYLOAD.length });
    expect((await stableCsv(destination)).equals(expectedCsv)).toBe(true);
    expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({ fetchData: [2] });
    const [lastFailure] = (await activityLastFailures(harness.client, handle.workflowId)).fetchData;
    expect(lastFailure).toContain(`body truncated: received 5000 of ${PAYLOAD.length} bytes`);
  });

  it('a complete response holding incomplete JSON is fetched again and the run succeeds', async () => {
    const path = servePath([{}, { body: PAYLOAD.subarray(0, 6_000), contentType: 'application/json' }]);
    const destination = freshDestination();
    const handle = await harness.start({ sourceUrl: registry.url(path), destination });
    const report = await handle.result();

    expect(report).toMatchObject({ published: true, rawBytes: PAYLOAD.length });
    expect((await stableCsv(destination)).equals(expectedCsv)).toBe(true);
    expect(await progressOf(handle)).toMatchObject({ stage: 'done', fetchRounds: 2 });
    // The truncated payload's transform failed once and was not retried in place.
    expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({
      fetchData: [1, 1],
      transform: [1, 1],
    });
  });

  it('a payload that stays truncated is fetched 3 times in all, then the run fails non-retryably with TruncatedPayloadError', async () => {
    // Every answer is complete as HTTP (its Content-Length is met) but holds the same incomplete JSON.
    const path = servePath([], PAYLOAD.subarray(0, 6_000));
    const handle = await harness.start({ sourceUrl: registry.url(path), destination: freshDestination() });
    const failure = await failureOf(handle);

    expect(failure).toMatchObject({ activityType: 'transform', type: 'TruncatedPayloadError' });
    // Three rounds of fetchData then transform, each on its first attempt: no retry in place, and no fourth round.
    expect(await activityAttempts(harness.client, handle.workflowId)).toEqual({
      checkStatus: [1],
      fetchData: [1, 1, 1],
      transform: [1, 1, 1],
    });
    expect(requestsTo(path).map((request) => request.method)).toEqual(['HEAD', 'GET', 'GET', 'GET']);
    expect(await progressOf(handle)).toMatchObject({ stage: 'failed', failedStage: 'transform', fetchRounds: 3 });
  });

  it('status 200 with an HTML page fails non-retryably, with the content type and a snippet', async () => {
    const page =
      '<!DOCTYPE html>\n<html><head><title>Down for maintenance</title></head><body>Back at 06:00</body></html>';
    const path = servePath([{}, { body: page, contentType: 'text/html; charset=utf-8' }]);
    const handle = await harness.start({ sourceUrl: registry.url(path), destination: freshDestination() });
    const failure = await failureOf(handle);

    expect(failure).toMatchObject({ activityType: 'fetchData', type: 'SourceError', nonRetryable: true });
    expect(failure.message).toContain('text/html');
    expect(failure.message).toContain('Down for maintenance');
    expect(failure.message).toContain(registry.url(path));
    expect(requestsTo(path).map((request) => request.method)).toEqual(['HEAD', 'GET']);
  });

  it('status 200 with JSON that is not a registry payload fails non-retryably, with the content type and a snippet', async () => {
    const path = servePath([
      {},
      { body: '{"error": "API quota exceeded", "code": 42}', contentType: 'application/json' },
    ]);
    const handle = await harness.start({ sourceUrl: registry.url(path), destination: freshDestination() });
    const failure = await failureOf(handle);

    expect(failure).toMatchObject({ activityType: 'transform', type: 'PayloadError', nonRetryable: true });
    expect(failure.message).toContain('not a registry payload');
    expect(failure.message).toContain('Content-Type application/json');
    expect(failure.message).toContain('{"error": "API quota exceeded", "code": 42}');
    expect(requestsTo(path).map((request) => request.method)).toEqual(['HEAD', 'GET']);
    expect(await activityAttempts(harness.client, handle.workflowId)).toMatchObject({ transform: [1] });
  });

  it('a body larger than SOURCE_MAX_BYTES fails non-retryably, declared or not', async () => {
    const declared = servePath([], scaledPayload(1_000));
    const declaredFailure = await failureOf(
      await harness.start({ sourceUrl: registry.url(declared), destination: freshDestination() }),
    );
    expect(declaredFailure).toMatchObject({ activityType: 'checkStatus', type: 'SourceError', nonRetryable: true });
    expect(declaredFailure.message).toContain(`over the limit of ${MAX_BYTES} bytes`);

    // Sent chunked, without Content-Length: only counting the bytes can stop it.
    const chunked = `/chunked-${randomBytes(4).toString('hex')}.json`;
    registry.serveStream(chunked, () => generatedBody(3 * MAX_BYTES));
    const chunkedFailure = await failureOf(
      await harness.start({ sourceUrl: registry.url(chunked), destination: freshDestination() }),
    );
    expect(chunkedFailure).toMatchObject({ activityType: 'fetchData', type: 'SourceError', nonRetryable: true });
    expect(chunkedFailure.message).toContain(`exceeds the limit of ${MAX_BYTES} bytes`);
    expect(requestsTo(chunked).map((request) => request.method)).toEqual(['HEAD', 'GET']);
  });
});

describe('behaviour 2: bad records', () => {
  it('malformed device elements are counted in the stats and the run completes', async () => {
    const sample = JSON.parse(PAYLOAD.toString('utf8')) as { Scheme: unknown; ChargeDevice: unknown[] };
    const withBadRecords = Buffer.from(
      JSON.stringify({
        Scheme: sample.Scheme,
        ChargeDevice: [
          null,
          ...sample.ChargeDevice.slice(0, 2),
          42,
          'not a device',
          [1, 2],
          true,
          { ChargeDeviceModel: { nested: true } },
          ...sample.ChargeDevice.slice(2),
        ],
      }),
    );
    const destination = freshDestination();
    const report = await run({ sourceUrl: registry.url(servePath([], withBadRecords)), destination });

    expect(report.published).toBe(true);
    expect(report.stats).toMatchObject({ malformedRecords: 5, devicesSeen: 6, devicesKept: 3, droppedNoModel: 3 });
    expect((await stableCsv(destination)).equals(await offlineCsv(withBadRecords))).toBe(true);
  });
});

describe('behaviour 8: SSRF guard', () => {
  it('a source URL whose host is not in SOURCE_ALLOWED_HOSTS fails non-retryably before any request', async () => {
    const path = servePath();
    const before = registry.requests.length;
    const elsewhere = registry.url(path).replace('127.0.0.1', 'localhost');
    const failure = await failureOf(await harness.start({ sourceUrl: elsewhere, destination: freshDestination() }));

    expect(failure).toMatchObject({ activityType: 'checkStatus', type: 'SourceError', nonRetryable: true });
    expect(failure.message).toContain('host localhost is not in the allowed hosts (127.0.0.1)');
    expect(registry.requests.length).toBe(before);
  });

  it('a URL that is not http or https fails non-retryably', async () => {
    const failure = await failureOf(
      await harness.start({ sourceUrl: 'file:///etc/passwd', destination: freshDestination() }),
    );
    expect(failure).toMatchObject({ activityType: 'checkStatus', type: 'SourceError', nonRetryable: true });
    expect(failure.message).toContain('only http and https URLs are allowed');
  });

  it('a redirect to a host outside the allowlist fails non-retryably without following it', async () => {
    const target = servePath();
    const hop = `/hop-${randomBytes(4).toString('hex')}`;
    registry.redirect(hop, registry.url(target).replace('127.0.0.1', 'localhost'));
    const failure = await failureOf(
      await harness.start({ sourceUrl: registry.url(hop), destination: freshDestination() }),
    );

    expect(failure).toMatchObject({ type: 'SourceError', nonRetryable: true });
    expect(failure.message).toContain('host localhost is not in the allowed hosts');
    expect(requestsTo(target)).toEqual([]);
  });
});

describe('behaviour 10: conditional fetch', () => {
  it('sends the published validators, ends early with unchanged on 304, and fetches in full with force', async () => {
    const path = `/conditional-${randomBytes(4).toString('hex')}.json`;
    const lastModified = 'Tue, 24 Nov 2026 06:00:00 GMT';
    registry.serve(path, { body: PAYLOAD, etag: '"v7"', lastModified });
    const destination = freshDestination();
    const sourceUrl = registry.url(path);

    const first = await run({ sourceUrl, destination });
    expect(first.published).toBe(true);
    const firstGet = requestsTo(path).filter((request) => request.method === 'GET');
    expect(firstGet.at(-1)?.headers['if-none-match']).toBeUndefined();

    const second = await run({ sourceUrl, destination });
    const secondGet = requestsTo(path)
      .filter((request) => request.method === 'GET')
      .at(-1);
    expect(secondGet?.headers).toMatchObject({ 'if-none-match': '"v7"', 'if-modified-since': lastModified });
    expect(second).toMatchObject({
      published: false,
      unchanged: true,
      publishReason: expect.stringContaining('304 Not Modified'),
      csv: first.csv,
      stats: first.stats,
      rawSha256: first.rawSha256,
      manifestUri: first.manifestUri,
      stableUri: first.stableUri,
      durationsMs: { transformMs: 0, uploadMs: 0 },
    });
    // Nothing was staged or written for the second run.
    const store = openBlobStore(destination);
    const keys: string[] = [];
    for await (const object of store.list('')) keys.push(object.key);
    expect(keys.filter((key) => key.includes(second.runId))).toEqual([]);

    const forced = await run({ sourceUrl, destination, force: true });
    const forcedGet = requestsTo(path)
      .filter((request) => request.method === 'GET')
      .at(-1);
    expect(forcedGet?.headers['if-none-match']).toBeUndefined();
    expect(forcedGet?.headers['if-modified-since']).toBeUndefined();
    expect(forced).toMatchObject({ published: false, unchanged: true, rawBytes: PAYLOAD.length });
    expect(forced.durationsMs.transformMs).toBeGreaterThan(0);

    // A new version at the source does not match the validators: fetched and published.
    const changed = scaledPayload(10);
    registry.serve(path, { body: changed, etag: '"v8"', lastModified: 'Wed, 25 Nov 2026 06:00:00 GMT' });
    const fresh = await run({ sourceUrl, destination });
    expect(
      requestsTo(path)
        .filter((request) => request.method === 'GET')
        .at(-1)?.headers['if-none-match'],
    ).toBe('"v7"');
    expect(fresh).toMatchObject({ published: true, unchanged: false, rawBytes: changed.length });
    expect((await stableCsv(destination)).equals(await offlineCsv(changed))).toBe(true);
  });

  it("withholds another source's validators from the conditional fetch", async () => {
    const lastModified = 'Tue, 24 Nov 2026 06:00:00 GMT';
    const publishedPath = `/published-${randomBytes(4).toString('hex')}.json`;
    const otherPath = `/other-${randomBytes(4).toString('hex')}.json`;
    const otherPayload = scaledPayload(10);
    // Both sources carry the same validators: had the published run's been sent to the other source, it would answer 304.
    registry.serve(publishedPath, { body: PAYLOAD, etag: '"shared"', lastModified });
    registry.serve(otherPath, { body: otherPayload, etag: '"shared"', lastModified });
    const destination = freshDestination();

    const first = await run({ sourceUrl: registry.url(publishedPath), destination });
    expect(first.published).toBe(true);
    const fromOther = await run({ sourceUrl: registry.url(otherPath), destination });

    const otherGets = requestsTo(otherPath).filter((request) => request.method === 'GET');
    expect(otherGets).toHaveLength(1);
    expect(otherGets[0].headers['if-none-match']).toBeUndefined();
    expect(otherGets[0].headers['if-modified-since']).toBeUndefined();
    expect(fromOther).toMatchObject({ published: true, unchanged: false, rawBytes: otherPayload.length });
    expect((await stableCsv(destination)).equals(await offlineCsv(otherPayload))).toBe(true);
  });
});
