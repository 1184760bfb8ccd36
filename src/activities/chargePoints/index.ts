import type { ChargePointsActivityDeps } from './deps';
import { createFetchFeedPage } from './fetchFeedPage';
import { createMergeFeeds } from './mergeFeeds';
import { createNormaliseFeed } from './normaliseFeed';
import { createPlanFeeds } from './planFeeds';
import { createUseFeedSnapshot } from './useFeedSnapshot';

export type { ChargePointsActivityDeps } from './deps';

/** The activities of `chargePointsEtl` and its `feedEtl` children (publishing is shared: ../publishChargePoints). */
export function createChargePointsActivities(deps: ChargePointsActivityDeps) {
  return {
    planFeeds: createPlanFeeds(deps),
    fetchFeedPage: createFetchFeedPage(deps),
    normaliseFeed: createNormaliseFeed(deps),
    useFeedSnapshot: createUseFeedSnapshot(deps),
    mergeFeeds: createMergeFeeds(deps),
  };
}

export type ChargePointsActivities = ReturnType<typeof createChargePointsActivities>;
