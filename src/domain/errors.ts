/**
 * Every failure type this service reports: the Temporal ApplicationFailure type
 * of a failed activity or run, searchable in the Web UI. Named once, here.
 */
export const ERROR_CODES = {
  source: 'SourceError',
  payload: 'PayloadError',
  truncatedPayload: 'TruncatedPayloadError',
  storage: 'StorageError',
  blobNotFound: 'BlobNotFound',
  blobChanged: 'BlobChanged',
  config: 'ConfigError',
  publishRefused: 'PublishRefused',
  invalidInput: 'InvalidInput',
  /** A charge-points run in which no feed had data to contribute. */
  noFeedContributed: 'NoFeedContributed',
  /** A feed that failed (its last error is in the message). */
  feedFailed: 'FeedFailed',
} as const;

/**
 * Typed errors shared by every layer. Each carries a stable `code` (used as the
 * Temporal ApplicationFailure type, so operators can filter on it), whether a
 * retry could help, and a message that names what failed and where.
 * Messages must never contain secrets: URLs are passed through redactUrl first.
 */
export abstract class UkChargersError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The registry answered with an error status, timed out or could not be reached. */
export class SourceError extends UkChargersError {
  readonly code = ERROR_CODES.source;
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly details: { url: string; status?: number; retryAfterMs?: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The payload is not valid JSON, or not a registry payload (no ChargeDevice array). */
export class PayloadError extends UkChargersError {
  readonly code = ERROR_CODES.payload;
  readonly retryable = false;
  constructor(
    message: string,
    readonly details: { byteOffset?: number } = {},
  ) {
    super(message);
  }
}

/** The payload ended before the JSON document was complete (truncated body): a re-fetch may help. */
export class TruncatedPayloadError extends UkChargersError {
  readonly code = ERROR_CODES.truncatedPayload;
  readonly retryable = true;
  constructor(
    message: string,
    readonly details: { byteOffset: number },
  ) {
    super(message);
  }
}

/** A storage operation failed. Credentials and missing buckets are not retryable; blips are. */
export class StorageError extends UkChargersError {
  readonly code: string = ERROR_CODES.storage;
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly details: { uri: string; operation: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A key that was expected to exist does not. */
export class BlobNotFoundError extends StorageError {
  override readonly code = ERROR_CODES.blobNotFound;
  constructor(uri: string, operation: string) {
    super(`${operation}: ${uri} does not exist`, false, { uri, operation });
  }
}

/**
 * A conditional write lost a race: the key changed (or appeared) after it was read,
 * so it was left alone. Retryable: read it again and decide again.
 */
export class BlobChangedError extends StorageError {
  override readonly code = ERROR_CODES.blobChanged;
  constructor(uri: string, operation: string) {
    super(`${operation}: ${uri} changed since it was read (another writer got there first)`, true, { uri, operation });
  }
}

/** The settings are invalid; `problems` lists every one, not just the first. */
export class ConfigError extends UkChargersError {
  readonly code = ERROR_CODES.config;
  readonly retryable = false;
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/** The publish guard refused to replace the published CSV; the new one stays in history. */
export class PublishRefusedError extends UkChargersError {
  readonly code = ERROR_CODES.publishRefused;
  readonly retryable = false;
  constructor(
    message: string,
    readonly details: { historyUri: string },
  ) {
    super(message);
  }
}

/** A workflow input that can never work (an unknown feed id, credentials in a URL); retrying cannot help. */
export class InvalidInputError extends UkChargersError {
  readonly code = ERROR_CODES.invalidInput;
  readonly retryable = false;
}
