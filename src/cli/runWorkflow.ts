import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowFailedError,
  type Client,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import type { AppConfig } from '../config';
import { webUiRunUrl } from '../config';
import { inputCredentialsProblem, type ChargerEtlInput, type Progress, type RunReport } from '../domain/runReport';
import type { chargerEtl } from '../workflows';
import { CHARGER_ETL_WORKFLOW, progressQuery } from '../workflows/definitions';
import { CliError } from './cliError';
import { formatBytes } from './report';

export type EtlHandle = WorkflowHandle<typeof chargerEtl>;

/** A workflow ID that sorts by start time and says what it is. */
export function newRunId(now = new Date()): string {
  return `uk-chargers-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
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
 * in a terminal, one line per stage change otherwise, nothing in JSON mode.
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
  let lastLine = '';
  let lastStage = '';
  const timer = setInterval(() => {
    handle
      .query(progressQuery)
      .then((progress) => {
        const line = progressLine(progress);
        if (mode === 'live') {
          if (line !== lastLine) process.stderr.write(`\r\x1b[2K${line}`);
        } else if (progress.stage !== lastStage) {
          process.stderr.write(`${line}\n`);
        }
        lastLine = line;
        lastStage = progress.stage;
      })
      // The first query can race the first workflow task; the next tick tries again.
      .catch(() => undefined);
  }, 500);
  return () => {
    clearInterval(timer);
    if (mode === 'live' && lastLine) process.stderr.write('\r\x1b[2K');
  };
}

export function progressLine(progress: Progress): string {
  const parts = [`stage ${progress.stage}`];
  if (progress.attempt > 1) parts.push(`attempt ${progress.attempt}`);
  if (progress.bytesFetched > 0) parts.push(`fetched ${formatBytes(progress.bytesFetched)}`);
  if (progress.devicesProcessed > 0) parts.push(`devices ${progress.devicesProcessed}`);
  if (progress.lastFailure) parts.push(`last failure: ${progress.lastFailure}`);
  return parts.join(' · ');
}

/** One clear line for a failed run: where it failed, why, and where to look. */
export function runFailure(error: unknown, workflowId: string, config: AppConfig): CliError | unknown {
  if (!(error instanceof WorkflowFailedError)) return error;
  const link = webUiRunUrl(config, workflowId);
  return new CliError(`run ${workflowId} failed${failureSummary(error)}${link ? ` (${link})` : ''}`);
}

/** ` in fetchData [SourceError]: registry answered 503` — where a run failed and why, from its result's error. */
export function failureSummary(error: WorkflowFailedError): string {
  let cause: unknown = error.cause;
  let where = '';
  if (cause instanceof ActivityFailure) {
    where = ` in ${cause.activityType}`;
    cause = cause.cause;
  }
  const type = cause instanceof ApplicationFailure && cause.type ? ` [${cause.type}]` : '';
  const message = cause instanceof Error ? cause.message : error.message;
  return `${where}${type}: ${message}`;
}
