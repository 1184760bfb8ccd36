import { Context } from '@temporalio/activity';
import type { ActivityProgress } from '../domain/runReport';

/** Well inside the workflow's 30 s heartbeat timeouts; the SDK throttles what reaches the server anyway. */
const LIVENESS_INTERVAL_MS = 5_000;

/** Reports an activity's counters as its heartbeat details. */
export type ReportProgress = (progress: ActivityProgress) => void;

/**
 * Runs `body` while heartbeating: the counters it reports are sent as heartbeat
 * details at once (the worker throttles them to one every few seconds, see
 * maxHeartbeatThrottleInterval), and the latest are sent again on a timer, so a
 * step that shows no progress for a while (a slow storage call, a quiet stretch
 * of the registry's body, which the source's idle timeout judges) is not taken
 * for a dead worker. Only a worker that is really gone misses the heartbeat
 * timeout, and then Temporal retries the activity on another worker. The
 * details are what `status`, `run` and the Web UI show of a running activity.
 */
export async function withHeartbeat<T>(
  initial: ActivityProgress,
  body: (report: ReportProgress) => Promise<T>,
): Promise<T> {
  const context = Context.current();
  let latest = initial;
  const report: ReportProgress = (progress) => {
    latest = progress;
    context.heartbeat(progress);
  };
  report(initial);
  const timer = setInterval(() => context.heartbeat(latest), LIVENESS_INTERVAL_MS);
  try {
    return await body(report);
  } finally {
    clearInterval(timer);
  }
}
