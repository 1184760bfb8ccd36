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

/**
 * The ApplicationFailure of one of our errors. `details`, when given, travel with
 * any failure (ours or not) for the workflow to read: an unknown error then keeps
 * its message and stays retryable.
 */
export function toApplicationFailure(error: unknown, details?: unknown): unknown {
  if (!(error instanceof UkChargersError)) {
    if (details === undefined || error instanceof ApplicationFailure) return error;
    return ApplicationFailure.create({
      message: error instanceof Error ? error.message : String(error),
      type: error instanceof Error ? error.name : 'Error',
      details: [details],
      cause: error instanceof Error ? error : undefined,
    });
  }
  const retryAfterMs = error instanceof SourceError ? error.details.retryAfterMs : undefined;
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: !error.retryable,
    nextRetryDelay: retryAfterMs !== undefined ? `${retryAfterMs} ms` : undefined,
    ...(details === undefined ? {} : { details: [details] }),
  });
}
