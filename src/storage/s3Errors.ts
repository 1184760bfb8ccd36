import { StorageError } from '../domain/errors';

/** What a failed S3 call tells us, from the SDK's error shape or a Node network error. */
interface S3Failure {
  /** S3 error code (`NoSuchBucket`), SDK error name (`TimeoutError`) or Node errno (`ECONNREFUSED`). */
  code: string;
  status?: number;
  /** The SDK's own judgement: throttling and transient errors. */
  sdkRetryable: boolean;
  message: string;
}

const CREDENTIALS_HINT = "check the worker's AWS credentials";

/** Failures no retry can fix, with what the operator should do about them. */
const PERMANENT: Record<string, string> = {
  AccessDenied: `access denied: ${CREDENTIALS_HINT} and their permissions on the bucket`,
  Forbidden: `access denied: ${CREDENTIALS_HINT} and their permissions on the bucket`,
  AllAccessDisabled: 'all access to the bucket has been disabled',
  AccountProblem: 'the AWS account has a problem that prevents this operation',
  InvalidAccessKeyId: `the access key id is not known to the endpoint: ${CREDENTIALS_HINT}`,
  SignatureDoesNotMatch: `the request signature was rejected: ${CREDENTIALS_HINT} (secret access key)`,
  ExpiredToken: `the session token has expired: ${CREDENTIALS_HINT}`,
  InvalidToken: `the session token is invalid: ${CREDENTIALS_HINT}`,
  TokenRefreshRequired: `the session token must be refreshed: ${CREDENTIALS_HINT}`,
  CredentialsProviderError: `no AWS credentials found: configure the worker's default credential chain (environment, profile, SSO or instance role)`,
  NoSuchBucket: 'the bucket does not exist: create it or fix the destination',
  InvalidBucketName: 'the bucket name is not valid',
  PermanentRedirect: 'the bucket is in another region: set AWS_REGION to the bucket region',
  AuthorizationHeaderMalformed: 'the request was signed for the wrong region: set AWS_REGION to the bucket region',
  RequestTimeTooSkewed: "the worker's clock differs too much from the endpoint's: fix the system time",
  EntityTooLarge: 'the object is larger than the endpoint accepts',
  InvalidObjectState: 'the object is archived and must be restored before it can be read',
  RegionMissing: 'no AWS region configured: set AWS_REGION',
};

/** JavaScript errors that mean a bug or bad input, never a flaky network. */
const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

/** Failures a later attempt may not hit: throttling, server trouble, an unreachable or slow endpoint. */
const TRANSIENT_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'InternalError',
  'ServiceUnavailable',
  'XMinioServerNotInitialized',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

const NETWORK_HINT = 'could not reach the S3 endpoint: check the network and AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL';
const TIMEOUT_HINT = 'the S3 endpoint did not answer in time';
const TIMEOUT_CODES = new Set(['TimeoutError', 'ETIMEDOUT', 'RequestTimeout', 'RequestTimeoutException']);

/** Access key ids look like AKIA… or ASIA…; they are not secrets, but have no place in a message either. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g;

/**
 * Turns whatever an S3 call threw into a StorageError naming the URI and the
 * operation, with a hint for the operator. Credentials, a missing bucket and
 * other client errors are permanent; network errors, 5xx, throttling and
 * timeouts are retryable (Temporal retries the activity). The message never
 * contains credentials: it is built from the error code, the HTTP status and
 * the server's message only.
 */
export function s3StorageError(
  error: unknown,
  where: { uri: string; operation: string },
  /** The S3 code when the response did not carry it, e.g. a per-key failure inside a DeleteObjects answer. */
  knownCode?: string,
): StorageError {
  if (error instanceof StorageError) return error;
  const described = describe(error);
  const failure = knownCode === undefined ? described : { ...described, code: knownCode };
  const permanentHint = PERMANENT[failure.code];
  const retryable =
    permanentHint === undefined &&
    !PROGRAMMING_ERRORS.has(failure.code) &&
    (failure.sdkRetryable ||
      TRANSIENT_CODES.has(failure.code) ||
      failure.status === undefined ||
      failure.status >= 500 ||
      failure.status === 408 ||
      failure.status === 429);
  const hint =
    permanentHint ??
    (TIMEOUT_CODES.has(failure.code)
      ? TIMEOUT_HINT
      : failure.status === undefined && retryable
        ? NETWORK_HINT
        : failure.message);
  const status = failure.status === undefined ? '' : `, HTTP ${failure.status}`;
  return new StorageError(
    `${where.operation} ${where.uri} failed: ${hint} (${failure.code}${status})`.replace(
      ACCESS_KEY_ID,
      '<access key id>',
    ),
    retryable,
    where,
    { cause: error },
  );
}

function describe(error: unknown): S3Failure {
  if (!(error instanceof Error)) return { code: 'Unknown', sdkRetryable: false, message: String(error) };
  const shaped = error as Error & {
    Code?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
    errors?: unknown[];
  };
  // Node reports a refused connection to a dual-stack host name as an AggregateError of per-address errors.
  const firstOfMany = Array.isArray(shaped.errors) ? shaped.errors[0] : undefined;
  const errno = typeof shaped.code === 'string' ? shaped.code : (firstOfMany as { code?: unknown } | undefined)?.code;
  const sdkName = error.name && error.name !== 'Error' && error.name !== 'AggregateError' ? error.name : undefined;
  const status = shaped.$metadata?.httpStatusCode;
  const named = typeof shaped.Code === 'string' ? shaped.Code : typeof errno === 'string' ? errno : sdkName;
  // Answers to HEAD requests have no body, hence no S3 code: name them by their status.
  const code = named === undefined || named === 'Unknown' ? (status === 403 ? 'Forbidden' : 'Unknown') : named;
  const message = error.message && error.message !== 'UnknownError' ? error.message : `the endpoint answered ${code}`;
  if (/region is missing/i.test(message)) return { code: 'RegionMissing', sdkRetryable: false, message };
  return { code, status, sdkRetryable: shaped.$retryable !== undefined, message };
}
