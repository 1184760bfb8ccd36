import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/domain/errors';
import { s3StorageError } from '../../src/storage/s3Errors';

const where = { uri: 's3://uk-chargers/exports/charger_models_UK.csv', operation: 'put' };

/** An error shaped like the AWS SDK's service exceptions. */
function serviceError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} from the service`), {
    name,
    Code: name,
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9000`), { code });
}

describe('s3StorageError', () => {
  it.each([
    ['AccessDenied', 403, /access denied: check the worker's AWS credentials/],
    ['InvalidAccessKeyId', 403, /check the worker's AWS credentials/],
    ['SignatureDoesNotMatch', 403, /secret access key/],
    ['ExpiredToken', 400, /session token has expired/],
    ['NoSuchBucket', 404, /bucket does not exist/],
    ['PermanentRedirect', 301, /set AWS_REGION/],
    ['InvalidArgument', 400, /InvalidArgument from the service/],
  ])('%s is permanent, with a hint', (name, status, hint) => {
    const error = s3StorageError(serviceError(name, status), where);
    expect(error).toBeInstanceOf(StorageError);
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual(where);
    expect(error.message).toMatch(hint);
    expect(error.message).toContain(`put ${where.uri} failed`);
    expect(error.message).toContain(`(${name}, HTTP ${status})`);
  });

  it.each([
    ['SlowDown', 503],
    ['InternalError', 500],
    ['ServiceUnavailable', 503],
    ['RequestTimeout', 400],
    ['TooManyRequestsException', 429],
    ['SomethingNew', 502],
  ])('%s (HTTP %i) is retryable', (name, status) => {
    expect(s3StorageError(serviceError(name, status), where).retryable).toBe(true);
  });

  it('trusts the SDK when it marks an error as retryable', () => {
    const throttled = serviceError('Throttled', 400, { $retryable: { throttling: true } });
    expect(s3StorageError(throttled, where).retryable).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN'])(
    'a %s network error is retryable and says the endpoint is unreachable',
    (code) => {
      const error = s3StorageError(networkError(code), where);
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/could not reach the S3 endpoint/);
      expect(error.message).toContain(`(${code})`);
    },
  );

  it('reads the code of a refused dual-stack connection (AggregateError)', () => {
    const aggregate = new AggregateError([networkError('ECONNREFUSED'), networkError('ECONNREFUSED')], '');
    expect(s3StorageError(aggregate, where)).toMatchObject({ retryable: true });
    expect(s3StorageError(aggregate, where).message).toContain('(ECONNREFUSED)');
  });

  it.each([
    Object.assign(new Error('socket timed out after 60000 ms of inactivity'), { name: 'TimeoutError' }),
    networkError('ETIMEDOUT'),
  ])('treats a timeout (%s) as retryable', (timeout) => {
    const error = s3StorageError(timeout, where);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/did not answer in time/);
  });

  it('names a bodiless 403 (a HEAD answer) as access denied', () => {
    const head403 = Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } });
    const error = s3StorageError(head403, where);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/access denied/);
    expect(error.message).toContain('(Forbidden, HTTP 403)');
  });

  it('reports missing credentials and a missing region as permanent configuration problems', () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(s3StorageError(noCredentials, where)).toMatchObject({ retryable: false });
    expect(s3StorageError(noCredentials, where).message).toMatch(/no AWS credentials found/);
    const noRegion = new Error('Region is missing');
    expect(s3StorageError(noRegion, where)).toMatchObject({ retryable: false });
    expect(s3StorageError(noRegion, where).message).toMatch(/set AWS_REGION/);
  });

  it('treats programming errors as permanent', () => {
    expect(s3StorageError(new TypeError('x is not a function'), where).retryable).toBe(false);
  });

  it('keeps access key ids out of the message', () => {
    const error = s3StorageError(
      serviceError('InvalidArgument', 400, { message: 'bad key AKIAIOSFODNN7EXAMPLE' }),
      where,
    );
    expect(error.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('passes StorageErrors through unchanged', () => {
    const original = new StorageError('already classified', true, where);
    expect(s3StorageError(original, where)).toBe(original);
  });
});
