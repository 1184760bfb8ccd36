import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, type PayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { ChargePointsProgress, ChargePointsReport } from '../domain/chargePointsRun';
import type { ActivityProgress, Progress, RunReport } from '../domain/runReport';
import { CHARGE_POINTS_SOURCE, outcomeOf, type ChargePointsMemo, type RunOutcome } from '../visibility/runMemo';
import { datasetOfWorkflowType, type DatasetName } from '../workflows/datasets';
import { formatDuration } from '../domain/duration';
import { chargePointsProgressFacts } from './chargePointsProgress';
import { formatFeedsSummary, summariseFeeds, type FeedsSummary } from './feedsSummary';
import { formatBytes } from './report';

/** Set by the server on runs a schedule started. */
const SCHEDULED_BY = defineSearchAttributeKey('TemporalScheduledById', SearchAttributeType.KEYWORD);

/** What `list` and `status` say about one run, from its visibility record and memo. */
export interface RunFacts {
  workflowId: string;
  runId: string;
  status: string;
  taskQueue: string;
  startTime: string;
  closeTime: string | null;
  durationMs: number;
  scheduledBy: string | null;
  source: string | null;
  outcome: RunOutcome | null;
  rows: number | null;
  published: boolean | null;
  unchanged: boolean | null;
  publishReason: string | null;
  /** Which dataset the run builds, from its workflow type. */
  dataset: DatasetName | null;
  /** A charge-points run's feeds per status, once it has succeeded. */
  feeds: FeedsSummary | null;
}

export function runFacts(info: Omit<WorkflowExecutionInfo, 'raw'>, now: Date = new Date()): RunFacts {
  const memo = (info.memo ?? {}) as ChargePointsMemo;
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    status: info.status.name,
    taskQueue: info.taskQueue,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
    durationMs: (info.closeTime ?? now).getTime() - info.startTime.getTime(),
    scheduledBy: info.typedSearchAttributes.get(SCHEDULED_BY) ?? null,
    source: memo.source ?? null,
    outcome: memo.outcome ?? null,
    rows: memo.rows ?? null,
    published: memo.published ?? null,
    unchanged: memo.unchanged ?? null,
    publishReason: memo.publishReason ?? null,
    dataset: datasetOfWorkflowType(info.type) ?? null,
    feeds: memo.feeds ?? null,
  };
}

/** The facts of a completed run, from its report: authoritative even when the memo was not written. */
export function withReport(facts: RunFacts, report: RunReport): RunFacts {
  return {
    ...facts,
    source: report.sourceUrl,
    outcome: outcomeOf(report),
    rows: report.stats.rows,
    published: report.published,
    unchanged: report.unchanged,
    publishReason: report.publishReason,
  };
}

/** The facts of a completed charge-points run, from its report. */
export function withChargePointsReport(facts: RunFacts, report: ChargePointsReport): RunFacts {
  return {
    ...facts,
    source: CHARGE_POINTS_SOURCE,
    outcome: outcomeOf(report),
    rows: report.stats.rows,
    published: report.published,
    unchanged: report.unchanged,
    publishReason: report.publishReason,
    feeds: summariseFeeds(report.feeds),
  };
}

export const RUN_TABLE_HEADER = ['WORKFLOW ID', 'STATUS', 'STARTED', 'DURATION', 'OUTCOME', 'ROWS', 'SOURCE'];

/** One row of `uk-chargers list`. */
export function runTableRow(facts: RunFacts): string[] {
  return [
    facts.workflowId,
    facts.status,
    facts.startTime.replace(/\.\d+Z$/, 'Z'),
    formatDuration(facts.durationMs),
    facts.outcome ?? '-',
    facts.rows === null ? '-' : String(facts.rows),
    facts.source ?? '-',
  ];
}

/**
 * `uk-chargers list` as rows, header first. The DATASET and FEEDS columns are
 * added only when a charge-points run is among them, so a list of charger-models
 * runs reads as it always has.
 */
export function runTable(runs: readonly RunFacts[]): string[][] {
  if (!runs.some((run) => run.dataset === 'charge-points')) return [RUN_TABLE_HEADER, ...runs.map(runTableRow)];
  const widen = (row: string[], dataset: string, feeds: string): string[] => [
    row[0],
    dataset,
    ...row.slice(1, -1),
    feeds,
    row[row.length - 1],
  ];
  return [
    widen(RUN_TABLE_HEADER, 'DATASET', 'FEEDS'),
    ...runs.map((run) => widen(runTableRow(run), run.dataset ?? '-', run.feeds ? formatFeedsSummary(run.feeds) : '-')),
  ];
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '),
    )
    .join('\n');
}

/** A pending activity as `status` shows it. */
export interface PendingActivityFacts {
  activity: string;
  state: string;
  attempt: number;
  /** 0 means no limit. */
  maximumAttempts: number;
  lastFailure: string | null;
  /** The counters of its latest heartbeat. */
  progress: ActivityProgress | null;
}

/** The run's pending activities, with the counters they last heartbeat, from its description. */
export function pendingActivityFacts(
  description: WorkflowExecutionDescription,
  payloadConverter: PayloadConverter,
): PendingActivityFacts[] {
  const { PendingActivityState } = temporal.api.enums.v1;
  return (description.raw.pendingActivities ?? []).map((activity) => {
    const details = activity.heartbeatDetails?.payloads?.[0];
    return {
      activity: activity.activityType?.name ?? 'unknown',
      state: (PendingActivityState[activity.state ?? 0] ?? 'UNKNOWN').replace(/^PENDING_ACTIVITY_STATE_/, ''),
      attempt: activity.attempt ?? 0,
      maximumAttempts: activity.maximumAttempts ?? 0,
      lastFailure: activity.lastFailure?.message ?? null,
      progress: details ? payloadConverter.fromPayload<ActivityProgress>(details) : null,
    };
  });
}

/** `fetched 3.0 MiB`, `devices 1200`, `publishing`: what an activity's heartbeat says, as far as it says it. */
export function activityCounters(progress: ActivityProgress | null): string[] {
  const parts: string[] = [];
  if (progress?.step !== undefined) parts.push(progress.step);
  if (progress?.bytesFetched !== undefined) parts.push(`fetched ${formatBytes(progress.bytesFetched)}`);
  if (progress?.devicesProcessed !== undefined) parts.push(`devices ${progress.devicesProcessed}`);
  return parts;
}

export interface RunStatus {
  run: RunFacts;
  progress: Progress | null;
  /** Why progress is missing while the run is going (no worker answered). */
  progressUnavailable: string | null;
  pendingActivities: PendingActivityFacts[];
  /** Where and why a closed, unsuccessful run ended. */
  failure: string | null;
  webUiUrl: string | null;
  /** A running charge-points run's progress query (its `progress` stays null). */
  chargePointsProgress?: ChargePointsProgress;
  /** The running feeds' children and their pending activities. */
  runningFeeds?: RunningFeed[];
}

/** A feed's child workflow while it runs, as `status` shows it. */
export interface RunningFeed {
  feed: string;
  workflowId: string;
  pendingActivities: PendingActivityFacts[];
}

/** `uk-chargers status` output. */
export function formatRunStatus(status: RunStatus): string {
  const { run, progress } = status;
  const lines = [`run ${run.workflowId} (${run.runId})`];
  const when = run.closeTime
    ? `started ${run.startTime}, closed ${run.closeTime} after ${formatDuration(run.durationMs)}`
    : `started ${run.startTime}, running for ${formatDuration(run.durationMs)}`;
  lines.push(`  status       ${run.status}, ${when}`);
  lines.push(`  task queue   ${run.taskQueue}${run.scheduledBy ? `, started by schedule ${run.scheduledBy}` : ''}`);
  if (run.dataset === 'charge-points') lines.push('  dataset      charge-points (chargePointsEtl)');
  if (run.source) lines.push(`  source       ${run.source}`);
  if (progress) lines.push(`  stage        ${progressFacts(progress)}`);
  if (status.chargePointsProgress)
    lines.push(`  stage        ${chargePointsProgressFacts(status.chargePointsProgress)}`);
  if (status.progressUnavailable) lines.push(`  stage        unknown: ${status.progressUnavailable}`);
  for (const activity of status.pendingActivities) lines.push(`  activity     ${pendingActivityText(activity)}`);
  for (const feed of status.runningFeeds ?? []) {
    if (feed.pendingActivities.length === 0) lines.push(`  feed         ${feed.feed}: running, no activity pending`);
    for (const activity of feed.pendingActivities)
      lines.push(`  feed         ${feed.feed}: ${pendingActivityText(activity)}`);
  }
  if (run.outcome) {
    lines.push(`  outcome      ${run.outcome}, ${run.rows} rows${run.publishReason ? ` — ${run.publishReason}` : ''}`);
  }
  if (run.feeds) lines.push(`  feeds        ${formatFeedsSummary(run.feeds)}`);
  if (status.failure) lines.push(`  failure      ${status.failure}`);
  if (status.webUiUrl) lines.push(`  web ui       ${status.webUiUrl}`);
  return lines.join('\n');
}

/** `fetchData started, attempt 3 of 10, fetched 3.0 MiB, last failure: …`. */
function pendingActivityText(activity: PendingActivityFacts): string {
  const limit = activity.maximumAttempts > 0 ? ` of ${activity.maximumAttempts}` : '';
  const counters = activityCounters(activity.progress)
    .map((part) => `, ${part}`)
    .join('');
  const failure = activity.lastFailure ? `, last failure: ${activity.lastFailure}` : '';
  return `${activity.activity} ${activity.state.toLowerCase()}, attempt ${activity.attempt}${limit}${counters}${failure}`;
}

function progressFacts(progress: Progress): string {
  const stage =
    progress.stage === 'failed' && progress.failedStage ? `failed in ${progress.failedStage}` : progress.stage;
  const parts = [stage];
  if (progress.fetchRounds > 1) parts.push(`fetch rounds ${progress.fetchRounds}`);
  if (progress.lastFailure) parts.push(`last failure: ${progress.lastFailure}`);
  return parts.join(' · ');
}
