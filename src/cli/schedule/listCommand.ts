import type { ScheduleSummary } from '@temporalio/client';
import type { Command } from 'commander';
import { describeTiming, formatScheduleSummary } from '../../schedules/scheduleText';
import { datasetOfWorkflowType } from '../../workflows/datasets';
import { withClient } from '../temporalClient';
import { SCHEDULE_HELP_FOOTER } from './scheduleOptions';

export function registerScheduleListCommand(schedule: Command): void {
  schedule
    .command('list')
    .description(
      "list the namespace's schedules that start chargerEtl or chargePointsEtl, with their state, next and last run and dataset",
    )
    .option('--json', 'print one JSON object per schedule, one per line')
    .addHelpText(
      'after',
      '\nThe server lists schedules from its visibility store, which may lag a few seconds behind changes.\n' +
        SCHEDULE_HELP_FOOTER,
    )
    .action((options: { json?: boolean }) =>
      withClient(async (client) => {
        let found = 0;
        for await (const summary of client.schedule.list()) {
          // Visibility may not know the action of a schedule created a moment ago: keep it rather than hide it.
          if (summary.action !== undefined && datasetOfWorkflowType(summary.action.workflowType) === undefined)
            continue;
          found += 1;
          console.log(options.json ? JSON.stringify(summaryAsJson(summary)) : formatScheduleSummary(summary));
        }
        if (found === 0 && !options.json)
          console.log('no uk-chargers schedules (create one with: uk-chargers schedule create --cron "0 6 * * *")');
      }),
    );
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
