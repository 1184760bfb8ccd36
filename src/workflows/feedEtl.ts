import { continueAsNew, isCancellation, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { ChargePointsActivities } from '../activities/chargePoints';
import type { FetchFeedPageResult } from '../activities/chargePoints/fetchFeedPage';
import type { FeedEtlInput, FeedFetchState, FeedProgress, FeedResult, FeedStatus } from '../domain/chargePointsRun';
import { PageLoopGuard } from '../domain/feed';
import { advanceClock, planRequest, recordRequest } from '../domain/hostBudget';
import { feedProgressQuery } from './definitions';
import { failedAttempt, failureMessage } from './failedAttempt';

// One attempt per activity: every attempt is a request the host counts, so the
// workflow retries pages itself (fetchPage below), after durable waits.
const { fetchFeedPage } = proxyActivities<ChargePointsActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

const { normaliseFeed, useFeedSnapshot } = proxyActivities<ChargePointsActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Attempts of one page before the feed fails. */
const MAX_PAGE_ATTEMPTS = 6;
const BACKOFF_INITIAL_MS = 2_000;
const BACKOFF_MAX_MS = 120_000;
/** A Retry-After longer than this fails the feed instead of holding the run up. */
const MAX_RETRY_AFTER_MS = 3_600_000;
/** Pages per run of the workflow before it continues as new, keeping its history short. */
export const PAGES_PER_RUN = 100;

/** A feed that cannot be fetched: the message says why, for the feed's health. */
class FeedFailure extends Error {}

/**
 * One feed of a charge-points run: fetches its pages into staging one request at a
 * time, within its host's gap and hourly budget (durable timers, so a worker
 * restart neither loses pages nor overspends the budget), retrying each page
 * itself; then normalises them and keeps the result as the feed's snapshot. A
 * feed that fails falls back on its last good snapshot. The outcome is in the
 * result: a feed never fails its parent.
 */
export async function feedEtl(input: FeedEtlInput): Promise<FeedResult> {
  const { feed } = input;
  let hostLog = input.hostLog;
  const state: FeedFetchState = input.resume ?? { pages: 0, bytes: 0, items: 0, recentUrlDigests: [], shapes: [] };
  const progress: FeedProgress = {
    stage: 'fetching',
    pages: state.pages,
    items: state.items,
    bytes: state.bytes,
    attempt: 0,
  };
  setHandler(feedProgressQuery, () => progress);

  const result = (status: FeedStatus, extra: Partial<FeedResult> = {}): FeedResult => {
    progress.stage = 'done';
    return {
      id: feed.id,
      name: feed.name,
      status,
      pages: state.pages,
      bytes: state.bytes,
      items: state.items,
      shapes: state.shapes,
      durationMs: hostLog.clock - (state.startedAt ?? hostLog.clock),
      hostLog,
      ...extra,
    };
  };

  /** Waits on a durable timer until `at` (the worker's clock), saying why. */
  const waitUntil = async (at: number, why: FeedProgress['waitingFor']): Promise<void> => {
    if (at > hostLog.clock) {
      Object.assign(progress, { stage: 'waiting', waitingUntil: new Date(at).toISOString(), waitingFor: why });
      await sleep(at - hostLog.clock);
      hostLog = advanceClock(hostLog, at);
    }
    Object.assign(progress, { stage: 'fetching', waitingUntil: undefined, waitingFor: undefined });
  };

  /** The next page, retried within the host's limits; throws FeedFailure when the feed must fail. */
  const fetchPage = async (): Promise<FetchFeedPageResult> => {
    let retryAt = 0;
    let retryWait: FeedProgress['waitingFor'] = 'backoff';
    const page = state.pages + 1;
    for (let attempt = 1; ; attempt += 1) {
      progress.attempt = attempt;
      const planned = planRequest(hostLog, input.hostLimits);
      if (retryAt > planned.at) await waitUntil(retryAt, retryWait);
      else await waitUntil(planned.at, planned.limitedBy);
      const plannedAt = Math.max(planned.at, retryAt);
      try {
        const fetched = await fetchFeedPage({
          feed,
          destination: input.destination,
          stagingPrefix: input.stagingPrefix,
          page,
          url: state.nextUrl,
          itemsBefore: state.items,
        });
        hostLog = recordRequest(hostLog, fetched.sentAt, fetched.finishedAt, input.hostLimits);
        return fetched;
      } catch (error) {
        if (isCancellation(error)) throw error;
        const failed = failedAttempt(error);
        // A request whose worker died before saying when it was sent counts from when it was planned.
        const sentAt = failed.sentAt ?? plannedAt;
        hostLog = recordRequest(hostLog, sentAt, failed.finishedAt ?? sentAt, input.hostLimits);
        progress.lastFailure = `page ${page}, attempt ${attempt}: ${failed.message}`;
        if (!failed.retryable) throw new FeedFailure(failed.message);
        if (attempt >= MAX_PAGE_ATTEMPTS)
          throw new FeedFailure(`page ${page} failed ${attempt} times; last: ${failed.message}`);
        if (failed.retryAfterMs !== undefined) {
          if (failed.retryAfterMs > MAX_RETRY_AFTER_MS) {
            throw new FeedFailure(
              `${failed.message}; its Retry-After asks for ${Math.ceil(failed.retryAfterMs / 60_000)} min, more than a run waits`,
            );
          }
          retryWait = 'Retry-After';
          retryAt = hostLog.clock + failed.retryAfterMs;
        } else {
          retryWait = 'backoff';
          retryAt = hostLog.clock + Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** (attempt - 1));
        }
      }
    }
  };

  /** Fetches pages until the last, or until this run of the workflow has fetched its share. */
  const fetchPages = async (): Promise<'complete' | 'continue' | { secretEnv: string }> => {
    // Resumed, the pending next page has been accepted already.
    const resumed = state.pages > 0 ? { pages: state.pages + 1, recentUrlDigests: state.recentUrlDigests } : undefined;
    const guard = new PageLoopGuard(feed.id, feed.url, resumed);
    for (let fetchedNow = 0; ; fetchedNow += 1) {
      if (fetchedNow === PAGES_PER_RUN) return 'continue';
      const fetched = await fetchPage();
      if (fetched.outcome === 'secret-missing') return { secretEnv: fetched.secretEnv };
      state.pages += 1;
      state.bytes += fetched.bytes;
      state.items += fetched.items;
      if (!state.shapes.includes(fetched.shape)) state.shapes.push(fetched.shape);
      state.firstFetchedAt ??= fetched.fetchedAt;
      state.startedAt ??= fetched.sentAt;
      Object.assign(progress, { pages: state.pages, items: state.items, bytes: state.bytes, attempt: 0 });
      if (fetched.nextUrl === undefined) return 'complete';
      const loop = guard.follow(fetched.nextUrl);
      if (loop !== undefined) throw new FeedFailure(loop);
      state.nextUrl = fetched.nextUrl;
      state.recentUrlDigests = guard.recentUrlDigests;
    }
  };

  /** The feed failed now: its last good snapshot stands in for it, if it has one young enough. */
  const fallBack = async (reason: string): Promise<FeedResult> => {
    progress.stage = 'falling back';
    progress.lastFailure = reason;
    const fallback = await useFeedSnapshot({
      feedId: feed.id,
      destination: input.destination,
      stagingPrefix: input.stagingPrefix,
    });
    if (fallback.use === 'none') return result('failed', { reason: `${reason} (${fallback.reason})` });
    if (fallback.use === 'expired') return result('expired', { reason: `${reason}; ${fallback.reason}` });
    const { snapshot } = fallback;
    return result('stale', {
      reason: `${reason}; ${fallback.reason}`,
      fetchedAt: snapshot.fetchedAt,
      normalised: fallback.normalised,
      locations: snapshot.locations,
      evsesKept: snapshot.evsesKept,
    });
  };

  let fetchedAll;
  try {
    fetchedAll = await fetchPages();
  } catch (error) {
    if (isCancellation(error)) throw error;
    return fallBack(failureMessage(error));
  }
  if (fetchedAll === 'continue') return continueAsNew<typeof feedEtl>({ ...input, hostLog, resume: state });
  if (fetchedAll !== 'complete') {
    return result('skipped', {
      reason: `its secret is not set: the worker's environment has no ${fetchedAll.secretEnv}`,
    });
  }

  progress.stage = 'normalising';
  try {
    const normalised = await normaliseFeed({
      feed: { id: feed.id, name: feed.name },
      destination: input.destination,
      stagingPrefix: input.stagingPrefix,
      pages: state.pages,
      bytes: state.bytes,
      fetchedAt: state.firstFetchedAt!,
    });
    return result('ok', {
      fetchedAt: state.firstFetchedAt,
      normalised: normalised.normalised,
      locations: normalised.locations,
      evsesKept: normalised.evsesKept,
      durationMs: hostLog.clock - (state.startedAt ?? hostLog.clock) + normalised.durationMs,
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    return fallBack(failureMessage(error));
  }
}
