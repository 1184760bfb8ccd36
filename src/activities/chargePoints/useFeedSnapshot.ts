import type { FeedSnapshotInfo, NormalisedFeedRef } from '../../domain/chargePointsRun';
import { formatDuration } from '../../domain/duration';
import { normalisedFeedKey } from '../../domain/feedKeys';
import { readFeedSnapshot } from '../../feeds/feedSnapshots';
import { classifyFailures } from '../failures';
import { clock, type ChargePointsActivityDeps } from './deps';

export interface UseFeedSnapshotInput {
  feedId: string;
  destination: string;
  stagingPrefix: string;
}

/** What a failed feed falls back on. */
export type FeedSnapshotUse =
  /** Its snapshot, copied into the run's staging for the merge. */
  | { use: 'stale'; snapshot: FeedSnapshotInfo; normalised: NormalisedFeedRef; reason: string }
  /** A snapshot older than FEED_MAX_STALE: not used. */
  | { use: 'expired'; snapshot: FeedSnapshotInfo; reason: string }
  /** No usable snapshot. */
  | { use: 'none'; reason: string };

/**
 * Finds a failed feed's last good snapshot and, unless it is older than
 * FEED_MAX_STALE, stages a copy for the merge (the snapshot itself may be replaced
 * by an overlapping run meanwhile; the copy may not).
 */
export function createUseFeedSnapshot(deps: ChargePointsActivityDeps) {
  return async function useFeedSnapshot(input: UseFeedSnapshotInput): Promise<FeedSnapshotUse> {
    return classifyFailures(async () => {
      const store = deps.openStore(input.destination);
      const stored = await readFeedSnapshot(store, input.feedId);
      if (stored.info === undefined) {
        return { use: 'none', reason: stored.problem ?? 'no snapshot from an earlier run' };
      }
      const snapshot = stored.info;
      const ageMs = clock(deps).getTime() - Date.parse(snapshot.fetchedAt);
      const { maxStaleMs } = deps.config.feeds;
      const age = `snapshot fetched ${snapshot.fetchedAt} (${formatDuration(ageMs)} ago)`;
      if (ageMs > maxStaleMs) {
        return {
          use: 'expired',
          snapshot,
          reason: `${age} is older than FEED_MAX_STALE (${formatDuration(maxStaleMs)})`,
        };
      }
      const key = normalisedFeedKey(input.stagingPrefix, input.feedId);
      if ((await store.head(snapshot.normalised.key)) === undefined) {
        return { use: 'none', reason: `the snapshot's data ${store.uriFor(snapshot.normalised.key)} is missing` };
      }
      await store.copy(snapshot.normalised.key, key);
      return { use: 'stale', snapshot, normalised: { ...snapshot.normalised, key }, reason: `using the ${age}` };
    });
  };
}
