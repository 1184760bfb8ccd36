import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { FEED_STATUSES, type ChargePointsReport, type FeedHealth, type FeedStatus } from '../domain/chargePointsRun';
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
  /** Redacted registry URL the run reads; CHARGE_POINTS_SOURCE for a charge-points run. */
  source: defineSearchAttributeKey('UkChargersSource', SearchAttributeType.KEYWORD),
  /** Rows of the CSV the run produced. */
  rows: defineSearchAttributeKey('UkChargersRows', SearchAttributeType.INT),
  /** published, unchanged or not-published. */
  outcome: defineSearchAttributeKey('UkChargersOutcome', SearchAttributeType.KEYWORD),
} as const;

export type RunOutcome = 'published' | 'unchanged' | 'not-published';

/** The `source` of a charge-points run, which reads the catalogue's feeds rather than one URL. */
export const CHARGE_POINTS_SOURCE = 'open-data feeds';
export const CHARGE_POINTS_DATASET = 'charge_points_UK';

/** How many feeds ended in each status, e.g. `{ ok: 8, stale: 1, failed: 1 }`; statuses no feed has are left out. */
export type FeedsSummary = Partial<Record<FeedStatus, number>>;

/**
 * The run's memo: `source` from the start, the rest once the run has succeeded.
 * A charge-points run also names its `dataset` and summarises its `feeds`.
 */
export type RunMemo = {
  source?: string;
  rows?: number;
  outcome?: RunOutcome;
  published?: boolean;
  unchanged?: boolean;
  publishReason?: string;
  dataset?: typeof CHARGE_POINTS_DATASET;
  feeds?: FeedsSummary;
};

/** Did the run replace the stable CSV, find it already up to date, or leave it (e.g. superseded)? */
export function outcomeOf(report: Pick<RunReport, 'published' | 'unchanged'>): RunOutcome {
  if (report.published) return 'published';
  return report.unchanged ? 'unchanged' : 'not-published';
}

/** The memo of a run that succeeded with `report`. */
export function completedRunMemo(report: RunReport): Required<Omit<RunMemo, 'dataset' | 'feeds'>> {
  return {
    source: report.sourceUrl,
    rows: report.stats.rows,
    outcome: outcomeOf(report),
    published: report.published,
    unchanged: report.unchanged,
    publishReason: report.publishReason,
  };
}

/** The memo of a charge-points run that succeeded with `report`. */
export function completedChargePointsMemo(report: ChargePointsReport): Required<RunMemo> {
  return {
    source: CHARGE_POINTS_SOURCE,
    dataset: CHARGE_POINTS_DATASET,
    rows: report.stats.rows,
    outcome: outcomeOf(report),
    published: report.published,
    unchanged: report.unchanged,
    publishReason: report.publishReason,
    feeds: summariseFeeds(report.feeds),
  };
}

/** Counts the feeds per status, in FEED_STATUSES order. */
export function summariseFeeds(feeds: ReadonlyArray<Pick<FeedHealth, 'status'>>): FeedsSummary {
  const summary: FeedsSummary = {};
  for (const status of FEED_STATUSES) {
    const count = feeds.filter((feed) => feed.status === status).length;
    if (count > 0) summary[status] = count;
  }
  return summary;
}

/** `8 ok, 1 stale, 1 failed`. */
export function formatFeedsSummary(summary: FeedsSummary): string {
  const parts = FEED_STATUSES.filter((status) => summary[status]).map((status) => `${summary[status]} ${status}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** `--search-attribute Name=Type` values for `temporal server start-dev` and `temporal operator search-attribute create`. */
export function runSearchAttributeDeclarations(): Array<{ name: string; type: 'Keyword' | 'Int' }> {
  return Object.values(RUN_SEARCH_ATTRIBUTES).map(({ name, type }) => ({
    name,
    type: type === SearchAttributeType.INT ? 'Int' : 'Keyword',
  }));
}
