import type { ScheduleSummary } from '@temporalio/client';
import { describeTiming, formatScheduleSummary } from '../../schedules/scheduleText';
import { datasetOfWorkflowType } from '../../workflows/datasets';
import { withClient } from '../temporalClient';

/** `uk-chargers schedule list`: the namespace's schedules of either dataset. */
export function scheduleListAction(options: { json?: boolean }): Promise<void> {
  return withClient(async (client) => {
    let found = 0;
    for await (const summary of client.schedule.list()) {
      // Visibility may not know the action of a schedule created a moment ago: keep it rather than hide it.
      if (summary.action !== undefined && datasetOfWorkflowType(summary.action.workflowType) === undefined) continue;
      found += 1;
      console.log(options.json ? JSON.stringify(summaryAsJson(summary)) : formatScheduleSummary(summary));
    }
    if (found === 0 && !options.json)
      console.log('no uk-chargers schedules (create one with: uk-chargers schedule create --cron "0 6 * * *")');
  });
}

function summaryAsJson(summary: ScheduleSummary): Record<string, unknown> {
  const last = summary.info.recentActions.at(-1);
  return {
    scheduleId: summary.scheduleId,
    dataset: datasetOfWorkflowType(summary.action?.workflowType) ?? null,
    paused: summary.state.paused,
    timing: describeTiming(summary.spec),
    nextActionTime: summary.info.nextActionTimes[0]?.toISOString() ?? null,
    lastWorkflowId: last?.action.workflow.workflowId ?? null,
    lastTakenAt: last?.takenAt.toISOString() ?? null,
  };
}
