import { ApplicationFailure } from '@temporalio/activity';
import { SourceError, UkChargersError } from '../domain/errors';

/**
 * Runs an activity body and turns our typed errors into ApplicationFailures:
 * the failure type is the error's code (filterable in the Web UI), retryability
 * is the error's own verdict, and a 429's Retry-After becomes the next retry delay.
 * Anything else is rethrown as is: unknown errors are retryable by default.
 */
export async function classifyFailures<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toApplicationFailure(error);
  }
}

export function toApplicationFailure(error: unknown): unknown {
  if (!(error instanceof UkChargersError)) return error;
  const retryAfterMs = error instanceof SourceError ? error.details.retryAfterMs : undefined;
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: !error.retryable,
    nextRetryDelay: retryAfterMs !== undefined ? `${retryAfterMs} ms` : undefined,
  });
}
