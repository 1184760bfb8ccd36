import { Context } from '@temporalio/activity';

/** The workflow run an activity works for: chargerEtl, chargePointsEtl or a feedEtl child. */
export function currentRun(): { workflowId: string; runId: string; attempt: number } {
  const { info } = Context.current();
  const execution = info.workflowExecution;
  if (!execution) throw new Error(`activity ${info.activityType} must run inside a workflow`);
  return { workflowId: execution.workflowId, runId: execution.runId, attempt: info.attempt };
}
