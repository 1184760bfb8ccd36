import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { FetchFailureDetails } from '../activities/chargePoints/fetchFeedPage';
import type { ActivityProgress } from '../domain/runReport';

/** What the workflow needs to know of a failed activity attempt to decide on the next. */
export interface FailedAttempt {
  message: string;
  retryable: boolean;
  /** When its request was sent and ended (the worker's clock), when known. */
  sentAt?: number;
  finishedAt?: number;
  retryAfterMs?: number;
}

/**
 * Reads a failed fetch attempt: an ApplicationFailure carries the activity's own
 * verdict and clock (FetchFailureDetails); a timeout means the worker went away,
 * which another attempt may survive, and its last heartbeat says when it sent.
 */
export function failedAttempt(error: unknown): FailedAttempt {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as Partial<FetchFailureDetails> | undefined;
    return {
      message: cause.message,
      retryable: !cause.nonRetryable,
      sentAt: details?.sentAt,
      finishedAt: details?.finishedAt,
      retryAfterMs: details?.retryAfterMs,
    };
  }
  if (cause instanceof TimeoutFailure) {
    const heartbeat = cause.lastHeartbeatDetails as ActivityProgress | undefined;
    return {
      message: `the attempt hit its ${cause.timeoutType ?? 'unknown'} timeout: its worker stopped or hung`,
      retryable: true,
      sentAt: heartbeat?.sentAt,
    };
  }
  return { message: failureMessage(error), retryable: true };
}

/** The message an operator needs: an activity's own failure rather than the wrapper's. */
export function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
