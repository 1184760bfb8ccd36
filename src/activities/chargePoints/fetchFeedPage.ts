import { Context } from '@temporalio/activity';
import type { FeedDefinition, FeedPageResult } from '../../domain/feed';
import { feedPageKey } from '../../domain/feedKeys';
import { toApplicationFailure } from '../failures';
import { withHeartbeat } from '../heartbeat';
import { clock, type ChargePointsActivityDeps } from './deps';

export interface FetchFeedPageInput {
  feed: FeedDefinition;
  destination: string;
  /** The parent run's staging prefix. */
  stagingPrefix: string;
  /** 1-based; names the staged body. */
  page: number;
  /** A next URL an earlier page returned; the feed's first page when absent. */
  url?: string;
  /** Location items on the earlier pages (offset paging counts from them). */
  itemsBefore: number;
}

/** The page's outcome, with the worker's clock around the request for the host's request log. */
export type FetchFeedPageResult = FeedPageResult & {
  /** When the request was sent, and when the page was staged (epoch ms). */
  sentAt: number;
  finishedAt: number;
};

/** Attached to a failed attempt, so the workflow can count its request against the host's limits. */
export interface FetchFailureDetails {
  sentAt: number;
  finishedAt: number;
  /** The server's Retry-After, when it sent one. */
  retryAfterMs?: number;
}

/**
 * Fetches one page of a feed into staging (claim-check: the body never enters
 * Temporal). One attempt per call: the workflow decides on retries, because each
 * attempt is a request that counts against the host's gap and hourly budget, and
 * waits for them on durable timers. The send time goes out as a heartbeat first,
 * so even an attempt whose worker dies is counted at the right time.
 */
export function createFetchFeedPage(deps: ChargePointsActivityDeps) {
  return async function fetchFeedPage(input: FetchFeedPageInput): Promise<FetchFeedPageResult> {
    const sentAt = clock(deps).getTime();
    try {
      return await withHeartbeat({ page: input.page, sentAt }, async () => {
        const result = await deps.feedSource.fetchPage(input.feed, {
          url: input.url,
          itemsBefore: input.itemsBefore,
          store: deps.openStore(input.destination),
          key: feedPageKey(input.stagingPrefix, input.feed.id, input.page),
          signal: Context.current().cancellationSignal,
        });
        return { ...result, sentAt, finishedAt: clock(deps).getTime() };
      });
    } catch (error) {
      const retryAfterMs = (error as { details?: { retryAfterMs?: number } }).details?.retryAfterMs;
      const details: FetchFailureDetails = { sentAt, finishedAt: clock(deps).getTime(), retryAfterMs };
      throw toApplicationFailure(error, details);
    }
  };
}
