import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { ChargePointsReport, FeedStatus } from '../domain/chargePointsRun';
import type { RunReport } from '../domain/runReport';

/**
 * What a run tells the Temporal Web UI, `uk-chargers list` and visibility
 * queries about itself. Imported by workflow code, so nothing here does I/O.
 *
 * The memo needs no set-up and is always written. The search attributes make
 * runs searchable (`UkChargersOutcome = "published"`), but a namespace must
 * register them first; see SEARCH_ATTRIBUTES in src/config.ts.
 */
export const RUN_SEARCH_ATTRIBUTES = {
  /** Redacted registry URL the run reads. */
  source: defineSearchAttributeKey('UkChargersSource', SearchAttributeType.KEYWORD),
  /** Rows of the CSV the run produced. */
  rows: defineSearchAttributeKey('UkChargersRows', SearchAttributeType.INT),
  /** published, unchanged or not-published. */
  outcome: defineSearchAttributeKey('UkChargersOutcome', SearchAttributeType.KEYWORD),
} as const;

export type RunOutcome = 'published' | 'unchanged' | 'not-published';

/** The run's memo: `source` from the start, the rest once the run has succeeded. */
export type RunMemo = {
  source?: string;
  rows?: number;
  outcome?: RunOutcome;
  published?: boolean;
  unchanged?: boolean;
  publishReason?: string;
};

/** What a charge-points run names as its source in the memo and UkChargersSource. */
export const CHARGE_POINTS_SOURCE = 'open-data feeds';

/** A charge-points run's memo: the charger-models fields, the dataset, and its feeds counted by outcome. */
export type ChargePointsMemo = RunMemo & {
  dataset?: 'charge_points_UK';
  feeds?: Partial<Record<FeedStatus, number>>;
};

/** The memo of a charge-points run that succeeded with `report`. */
export function completedChargePointsMemo(report: ChargePointsReport): ChargePointsMemo {
  const feeds: Partial<Record<FeedStatus, number>> = {};
  for (const feed of report.feeds) feeds[feed.status] = (feeds[feed.status] ?? 0) + 1;
  return {
    dataset: 'charge_points_UK',
    source: CHARGE_POINTS_SOURCE,
    rows: report.stats.rows,
    outcome: outcomeOf(report),
    published: report.published,
    unchanged: report.unchanged,
    publishReason: report.publishReason,
    feeds,
  };
}

/** Did the run replace the stable CSV, find it already up to date, or leave it (e.g. superseded)? */
export function outcomeOf(report: Pick<RunReport, 'published' | 'unchanged'>): RunOutcome {
  if (report.published) return 'published';
  return report.unchanged ? 'unchanged' : 'not-published';
}

/** The memo of a run that succeeded with `report`. */
export function completedRunMemo(report: RunReport): Required<RunMemo> {
  return {
    source: report.sourceUrl,
    rows: report.stats.rows,
    outcome: outcomeOf(report),
    published: report.published,
    unchanged: report.unchanged,
    publishReason: report.publishReason,
  };
}

/** `--search-attribute Name=Type` values for `temporal server start-dev` and `temporal operator search-attribute create`. */
export function runSearchAttributeDeclarations(): Array<{ name: string; type: 'Keyword' | 'Int' }> {
  return Object.values(RUN_SEARCH_ATTRIBUTES).map(({ name, type }) => ({
    name,
    type: type === SearchAttributeType.INT ? 'Int' : 'Keyword',
  }));
}
