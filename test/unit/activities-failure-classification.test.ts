import { msOptionalToNumber } from '@temporalio/common/lib/time';
import { describe, expect, it } from 'vitest';
import {
  BlobChangedError,
  BlobNotFoundError,
  ConfigError,
  ERROR_CODES,
  PayloadError,
  PublishRefusedError,
  SourceError,
  StorageError,
  TruncatedPayloadError,
  type UkChargersError,
} from '../../src/domain/errors';
import { SOURCE_URL, activityHarness, applicationFailureOf } from '../support/activityHarness';
import { samplePayload } from '../support/registryPayload';

const SAMPLE = { body: samplePayload() };
const URI = 'file:///srv/out/charger_models_UK.csv';

/** fetchData with the registry failing every request with `error`, as a thrown error of any layer would surface. */
async function fetchFailingWith(error: Error): Promise<unknown> {
  const harness = await activityHarness(SAMPLE);
  harness.source.failWith(error);
  return harness.attempt().run(harness.activities.fetchData, { destination: harness.destination });
}

describe('failure classification, through a real activity', () => {
  it.each<[string, UkChargersError, boolean]>([
    [
      'a SourceError for a 4xx',
      new SourceError(`registry returned 410 Gone for ${SOURCE_URL}`, false, { url: SOURCE_URL }),
      false,
    ],
    [
      'a SourceError for a timeout',
      new SourceError(`registry at ${SOURCE_URL} timed out`, true, { url: SOURCE_URL }),
      true,
    ],
    ['a PayloadError', new PayloadError('invalid JSON at byte 3'), false],
    ['a TruncatedPayloadError', new TruncatedPayloadError('payload ends early', { byteOffset: 9 }), true],
    [
      'a StorageError with the disk full',
      new StorageError(`put ${URI} failed`, true, { uri: URI, operation: 'put' }),
      true,
    ],
    [
      'a StorageError denied access',
      new StorageError(`put ${URI} denied`, false, { uri: URI, operation: 'put' }),
      false,
    ],
    ['a BlobNotFoundError', new BlobNotFoundError(URI, 'get'), false],
    ['a BlobChangedError', new BlobChangedError(URI, 'put'), true],
    ['a ConfigError', new ConfigError(['SOURCE_URL is not a URL']), false],
    ['a PublishRefusedError', new PublishRefusedError('publish guard refused', { historyUri: URI }), false],
  ])('turns %s into a failure typed by its code, retryable as it says', async (_what, error, retryable) => {
    const failure = await applicationFailureOf(fetchFailingWith(error));

    expect(failure).toMatchObject({ type: error.code, message: error.message, nonRetryable: !retryable });
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  it("makes a 429's Retry-After the next retry delay", async () => {
    const harness = await activityHarness(SAMPLE);
    harness.source.failWithStatus(429, '120');

    const failure = await applicationFailureOf(harness.attempt().run(harness.activities.checkStatus, {}));

    expect(failure).toMatchObject({ type: ERROR_CODES.source, nonRetryable: false });
    expect(msOptionalToNumber(failure.nextRetryDelay)).toBe(120_000);
  });

  it('passes an error of no known type on unchanged, for Temporal to retry as it does any error', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'etag')");

    expect(await fetchFailingWith(bug).catch((caught: unknown) => caught)).toBe(bug);
  });
});
