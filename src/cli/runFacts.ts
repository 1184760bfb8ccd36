import type { WorkflowExecutionDescription, WorkflowExecutionInfo } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, type PayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { ActivityProgress, Progress, RunReport } from '../domain/runReport';
import { outcomeOf, type RunMemo, type RunOutcome } from '../visibility/runMemo';
import { formatDuration } from '../domain/duration';
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
}

export function runFacts(info: Omit<WorkflowExecutionInfo, 'raw'>, now: Date = new Date()): RunFacts {
  const memo = (info.memo ?? {}) as RunMemo;
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
  if (run.source) lines.push(`  source       ${run.source}`);
  if (progress) lines.push(`  stage        ${progressFacts(progress)}`);
  if (status.progressUnavailable) lines.push(`  stage        unknown: ${status.progressUnavailable}`);
  for (const activity of status.pendingActivities) {
    const limit = activity.maximumAttempts > 0 ? ` of ${activity.maximumAttempts}` : '';
    const counters = activityCounters(activity.progress)
      .map((part) => `, ${part}`)
      .join('');
    const failure = activity.lastFailure ? `, last failure: ${activity.lastFailure}` : '';
    lines.push(
      `  activity     ${activity.activity} ${activity.state.toLowerCase()}, attempt ${activity.attempt}${limit}${counters}${failure}`,
    );
  }
  if (run.outcome) {
    lines.push(`  outcome      ${run.outcome}, ${run.rows} rows${run.publishReason ? ` — ${run.publishReason}` : ''}`);
  }
  if (status.failure) lines.push(`  failure      ${status.failure}`);
  if (status.webUiUrl) lines.push(`  web ui       ${status.webUiUrl}`);
  return lines.join('\n');
}

function progressFacts(progress: Progress): string {
  const stage =
    progress.stage === 'failed' && progress.failedStage ? `failed in ${progress.failedStage}` : progress.stage;
  const parts = [stage];
  if (progress.fetchRounds > 1) parts.push(`fetch rounds ${progress.fetchRounds}`);
  if (progress.lastFailure) parts.push(`last failure: ${progress.lastFailure}`);
  return parts.join(' · ');
}
