import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { AppConfig } from '../config';
import type { ChargePointsEtlInput, ChargePointsProgress, ChargePointsReport } from '../domain/chargePointsRun';
import { inputCredentialsProblem } from '../domain/runReport';
import { CHARGE_POINTS_ETL_WORKFLOW, chargePointsProgressQuery } from '../workflows/definitions';
import { chargePointsProgressLine } from './chargePointsProgress';
import { CliError } from './cliError';
import { pollProgress } from './progressPoller';
import { runFailure, runStamp, type ProgressMode } from './runWorkflow';

/** `uk-chargers-charge-points-20250131T060000Z`: sorts by start time and says what it is. */
export function newChargePointsRunId(now = new Date()): string {
  return `uk-chargers-charge-points-${runStamp(now)}`;
}

export async function startChargePointsRun(
  client: Client,
  config: AppConfig,
  input: ChargePointsEtlInput,
  workflowId: string = newChargePointsRunId(),
): Promise<WorkflowHandleWithFirstExecutionRunId> {
  // The input is stored in history: refuse credentials before anything is recorded.
  const credentialsProblem = inputCredentialsProblem({ destination: input.destination });
  if (credentialsProblem) throw new CliError(credentialsProblem);
  return client.workflow.start(CHARGE_POINTS_ETL_WORKFLOW, {
    taskQueue: config.temporal.taskQueue,
    workflowId,
    args: [input],
  });
}

/**
 * Waits for a charge-points run's report while showing its progress query (stage,
 * feeds done per status, feeds running): one updating line in a terminal, a line
 * per change otherwise, nothing in JSON mode.
 */
export async function waitForChargePointsReport(
  handle: WorkflowHandle,
  mode: ProgressMode,
  config: AppConfig,
): Promise<ChargePointsReport> {
  const stop = mode === 'none' ? () => undefined : watchChargePointsProgress(handle, mode);
  try {
    return (await handle.result()) as ChargePointsReport;
  } catch (error) {
    throw runFailure(error, handle.workflowId, config);
  } finally {
    stop();
  }
}

function watchChargePointsProgress(handle: WorkflowHandle, mode: 'live' | 'lines'): () => void {
  return pollProgress(async () => {
    const line = chargePointsProgressLine(await handle.query<ChargePointsProgress>(chargePointsProgressQuery));
    return { line, step: line };
  }, mode);
}
