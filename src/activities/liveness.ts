import { Context } from '@temporalio/activity';

/** Well inside the workflow's 30 s heartbeat timeouts, and the SDK throttles heartbeats anyway. */
const LIVENESS_INTERVAL_MS = 5_000;

/**
 * Runs `body` while heartbeating on a timer with the latest `details()`, so a step
 * that shows no progress for a while (a slow storage call, a quiet stretch of the
 * registry's body, which the source's idle timeout judges) is not taken for a dead
 * worker. Only a worker that is really gone misses the heartbeat timeout, and then
 * Temporal retries its activity on another worker within that timeout.
 */
export async function whileAlive<T>(details: () => unknown, body: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(details()), LIVENESS_INTERVAL_MS);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}
