import { FEED_STATUSES, type FeedHealth, type FeedStatus } from '../domain/chargePointsRun';

/** How many feeds ended in each status, e.g. `{ ok: 8, stale: 1, failed: 1 }`, as a charge-points run's memo holds it. */
export type FeedsSummary = Partial<Record<FeedStatus, number>>;

/** Counts the feeds per status, in FEED_STATUSES order, leaving out the statuses no feed has. */
export function summariseFeeds(feeds: ReadonlyArray<Pick<FeedHealth, 'status'>>): FeedsSummary {
  const summary: FeedsSummary = {};
  for (const status of FEED_STATUSES) {
    const count = feeds.filter((feed) => feed.status === status).length;
    if (count > 0) summary[status] = count;
  }
  return summary;
}

/** `8 ok, 1 stale, 1 failed`, in FEED_STATUSES order whatever the summary's own. */
export function formatFeedsSummary(summary: FeedsSummary): string {
  const parts = FEED_STATUSES.filter((status) => summary[status]).map((status) => `${summary[status]} ${status}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
