import { InvalidInputError } from '../../domain/errors';
import type { FeedDefinition } from '../../domain/feed';
import { hostLanes, type HostLane } from '../../domain/hostBudget';
import { stagingPrefix } from '../../domain/manifest';
import { classifyFailures } from '../failures';
import { currentRun } from '../runContext';
import { clock, type ChargePointsActivityDeps } from './deps';

export interface PlanFeedsInput {
  /** Catalogue ids; every feed when absent. */
  feeds?: string[];
  destination?: string;
}

/** What a charge-points run works through: small, so it can sit in history (no secrets: variable names only). */
export interface FeedPlan {
  /** Resolved once for the whole run, so every activity writes to the same place. */
  destination: string;
  /** The run's staging prefix; its children stage their feeds under it. */
  stagingPrefix: string;
  /** The selected feeds in catalogue order, disabled ones included (reported `disabled`). */
  feeds: FeedDefinition[];
  /** The enabled feeds grouped by host: each lane's feeds run one after another. */
  lanes: HostLane[];
  maxConcurrency: number;
  /** The worker's clock at planning (epoch ms): where the hosts' request logs start. */
  plannedAt: number;
}

/**
 * Selects the run's feeds from the worker's catalogue and checks the destination
 * is writable, so a wrong destination or an unknown feed id fails the run at once.
 */
export function createPlanFeeds(deps: ChargePointsActivityDeps) {
  return async function planFeeds(input: PlanFeedsInput): Promise<FeedPlan> {
    return classifyFailures(async () => {
      const { workflowId, runId } = currentRun();
      const { catalogue, maxConcurrency } = deps.config.feeds;
      const known = new Set(catalogue.feeds.map((feed) => feed.id));
      const unknown = (input.feeds ?? []).filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new InvalidInputError(
          `unknown feed ${unknown.join(', ')}: the catalogue ${catalogue.path} has ${[...known].join(', ')}`,
        );
      }
      const wanted = input.feeds === undefined ? undefined : new Set(input.feeds);
      const feeds = catalogue.feeds.filter((feed) => wanted === undefined || wanted.has(feed.id));
      const store = deps.openStore(input.destination ?? deps.config.destination);
      await store.verifyAccess();
      return {
        destination: store.rootUri,
        stagingPrefix: stagingPrefix(workflowId, runId),
        feeds,
        lanes: hostLanes(
          feeds.filter((feed) => feed.enabled),
          deps.config.feeds.budgetWindowMs,
        ),
        maxConcurrency,
        plannedAt: clock(deps).getTime(),
      };
    });
  };
}
