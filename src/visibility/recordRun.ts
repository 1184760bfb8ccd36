import { isCancellation, proxyLocalActivities, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { ChargePointsReport } from '../domain/chargePointsRun';
import type { ChargerEtlInput, RunReport } from '../domain/runReport';
import {
  CHARGE_POINTS_SOURCE,
  completedChargePointsMemo,
  completedRunMemo,
  outcomeOf,
  RUN_SEARCH_ATTRIBUTES,
} from './runMemo';
import type { RunVisibilityActivities } from './runVisibilityActivity';

const { runVisibility } = proxyLocalActivities<RunVisibilityActivities>({
  startToCloseTimeout: '10 seconds',
  // Visibility is a nicety: a worker without this activity must not hold the run up.
  retry: { maximumAttempts: 1 },
});

/** Whether this run writes search attributes as well as its memo. */
export interface RunVisibilityPlan {
  searchAttributes: boolean;
}

/**
 * Makes a starting run findable by its source: memo always, search attributes
 * when the worker reports them registered (upserting an unregistered one would
 * fail every workflow task of the run).
 */
export async function announceRun(input: ChargerEtlInput): Promise<RunVisibilityPlan> {
  let visibility;
  try {
    visibility = await runVisibility({ sourceUrl: input.sourceUrl });
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { searchAttributes: false };
  }
  upsertMemo({ source: visibility.source });
  if (visibility.searchAttributes)
    upsertSearchAttributes([{ key: RUN_SEARCH_ATTRIBUTES.source, value: visibility.source }]);
  return { searchAttributes: visibility.searchAttributes };
}

/** Records a successful run's rows and outcome for the Web UI, `uk-chargers list` and visibility queries. */
export function recordOutcome(plan: RunVisibilityPlan, report: RunReport): void {
  upsertMemo(completedRunMemo(report));
  if (!plan.searchAttributes) return;
  upsertSearchAttributes([
    { key: RUN_SEARCH_ATTRIBUTES.source, value: report.sourceUrl },
    { key: RUN_SEARCH_ATTRIBUTES.rows, value: report.stats.rows },
    { key: RUN_SEARCH_ATTRIBUTES.outcome, value: outcomeOf(report) },
  ]);
}

/** Makes a starting charge-points run findable: its source is the feed catalogue, not a URL. */
export async function announceChargePointsRun(): Promise<RunVisibilityPlan> {
  let visibility;
  try {
    visibility = await runVisibility({});
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { searchAttributes: false };
  }
  upsertMemo({ dataset: 'charge_points_UK', source: CHARGE_POINTS_SOURCE });
  if (visibility.searchAttributes)
    upsertSearchAttributes([{ key: RUN_SEARCH_ATTRIBUTES.source, value: CHARGE_POINTS_SOURCE }]);
  return { searchAttributes: visibility.searchAttributes };
}

/** Records a successful charge-points run's rows, outcome and feed health summary. */
export function recordChargePointsOutcome(plan: RunVisibilityPlan, report: ChargePointsReport): void {
  upsertMemo(completedChargePointsMemo(report));
  if (!plan.searchAttributes) return;
  upsertSearchAttributes([
    { key: RUN_SEARCH_ATTRIBUTES.rows, value: report.stats.rows },
    { key: RUN_SEARCH_ATTRIBUTES.outcome, value: outcomeOf(report) },
  ]);
}
