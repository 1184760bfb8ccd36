/**
 * Where a charge-points run keeps each feed's data in the destination. Pages and
 * normalised data are staged under the parent run's staging prefix, so publishing
 * removes them with the run's staging; the last good snapshot of each feed lives
 * under `_feeds/<id>/`, outside any run, for runs in which the feed fails.
 */
export function feedStagingPrefix(runStagingPrefix: string, feedId: string): string {
  return `${runStagingPrefix}feeds/${feedId}/`;
}

/** The staged body of a feed's page `page` (1-based); the zero padding keeps a listing in page order. */
export function feedPageKey(runStagingPrefix: string, feedId: string, page: number): string {
  return `${feedStagingPrefix(runStagingPrefix, feedId)}page-${String(page).padStart(6, '0')}.json`;
}

/** The feed's normalised data for the merge (src/transform/ocpi/normalisedFeed.ts). */
export function normalisedFeedKey(runStagingPrefix: string, feedId: string): string {
  return `${feedStagingPrefix(runStagingPrefix, feedId)}normalised.ndjson`;
}

export const FEED_SNAPSHOTS_PREFIX = '_feeds/';

/** What the feed's last good snapshot is (FeedSnapshotInfo), replaced only by a newer fetch. */
export function snapshotInfoKey(feedId: string): string {
  return `${FEED_SNAPSHOTS_PREFIX}${feedId}/last-good.json`;
}

/** A snapshot's normalised data, named by its sha256 so a newer snapshot never overwrites one being read. */
export function snapshotDataKey(feedId: string, sha256: string): string {
  return `${FEED_SNAPSHOTS_PREFIX}${feedId}/${sha256}.ndjson`;
}
