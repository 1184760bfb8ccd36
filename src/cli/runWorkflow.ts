import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import type { AppConfig } from '../config';
import { webUiRunUrl } from '../config';
import { inputCredentialsProblem, type ChargerEtlInput, type RunReport } from '../domain/runReport';
import type { chargerEtl } from '../workflows';
import { CHARGER_ETL_WORKFLOW } from '../workflows/definitions';
import { CliError } from './cliError';
import { pollProgress } from './progressPoller';
import { activityCounters, pendingActivityFacts, type PendingActivityFacts } from './runFacts';

export type EtlHandle = WorkflowHandle<typeof chargerEtl>;

/** A workflow ID that sorts by start time and says what it is. */
export function newRunId(now = new Date()): string {
  return `uk-chargers-${runStamp(now)}`;
}

/** `20250131T060000Z`: the UTC start time in a workflow ID. */
export function runStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export async function startRun(
  client: Client,
  config: AppConfig,
  input: ChargerEtlInput,
  workflowId: string = newRunId(),
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof chargerEtl>> {
  // The input is stored in history: refuse credentials before anything is recorded.
  const credentialsProblem = inputCredentialsProblem(input);
  if (credentialsProblem) throw new CliError(credentialsProblem);
  return client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
    taskQueue: config.temporal.taskQueue,
    workflowId,
    args: [input],
  });
}

export type ProgressMode = 'live' | 'lines' | 'none';

/**
 * Waits for the run's result while showing its progress: a single updating line
 * in a terminal, one line per stage or attempt otherwise, nothing in JSON mode.
 */
export async function waitForReport(handle: EtlHandle, mode: ProgressMode, config: AppConfig): Promise<RunReport> {
  const stop = mode === 'none' ? () => undefined : watchProgress(handle, mode);
  try {
    return await handle.result();
  } catch (error) {
    throw runFailure(error, handle.workflowId, config);
  } finally {
    stop();
  }
}

function watchProgress(handle: EtlHandle, mode: 'live' | 'lines'): () => void {
  const payloadConverter = handle.client.options.loadedDataConverter.payloadConverter;
  return pollProgress(async () => {
    // Between two activities nothing is pending: the last line still holds.
    const [activity] = pendingActivityFacts(await handle.describe(), payloadConverter);
    if (!activity) return undefined;
    // Stage and attempt: a line per step when not in a terminal.
    return { line: progressLine(activity), step: `${activity.activity}#${activity.attempt}` };
  }, mode);
}

/** `stage fetchData · attempt 3 · fetched 3.0 MiB · last failure: …`: the running activity, as the server knows it. */
export function progressLine(activity: PendingActivityFacts): string {
  const parts = [`stage ${activity.activity}`];
  if (activity.attempt > 1) parts.push(`attempt ${activity.attempt}`);
  parts.push(...activityCounters(activity.progress));
  if (activity.lastFailure) parts.push(`last failure: ${activity.lastFailure}`);
  return parts.join(' · ');
}

/** One clear line for a failed run: where it failed, why, and where to look. */
export function runFailure(error: unknown, workflowId: string, config: AppConfig): unknown {
  if (!(error instanceof WorkflowFailedError)) return error;
  const link = webUiRunUrl(config, workflowId);
  return new CliError(`run ${workflowId} failed${failureSummary(error)}${link ? ` (${link})` : ''}`);
}

/** ` in fetchData [SourceError]: registry answered 503` — where a run failed and why, from its result's error. */
export function failureSummary(error: WorkflowFailedError): string {
  let cause: unknown = error.cause;
  let where = '';
  // A charge-points run failing with one of its feeds' children: say which.
  if (cause instanceof ChildWorkflowFailure) {
    where = ` in child ${cause.execution.workflowId}`;
    cause = cause.cause;
  }
  if (cause instanceof ActivityFailure) {
    where += ` in ${cause.activityType}`;
    cause = cause.cause;
  }
  const type = cause instanceof ApplicationFailure && cause.type ? ` [${cause.type}]` : '';
  const message = cause instanceof Error ? cause.message : error.message;
  return `${where}${type}: ${message}`;
}
