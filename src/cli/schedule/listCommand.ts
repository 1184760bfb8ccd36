import type { Command } from 'commander';
import { SCHEDULE_HELP_FOOTER } from './scheduleOptions';
import type * as ListActionModule from './listAction';

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
    .action(async (options: { json?: boolean }) => {
      const { scheduleListAction } = require('./listAction') as typeof ListActionModule;
      await scheduleListAction(options);
    });
}
