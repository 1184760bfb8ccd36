import type { Command } from 'commander';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';
import type * as DeleteActionModule from './deleteAction';

export function registerScheduleDeleteCommand(schedule: Command): void {
  const command = schedule
    .command('delete')
    .description('delete a schedule; runs it already started carry on and stay in history');
  addIdOption(command)
    .addHelpText('after', SCHEDULE_HELP_FOOTER)
    .action(async (options: { id: string }) => {
      const { scheduleDeleteAction } = require('./deleteAction') as typeof DeleteActionModule;
      await scheduleDeleteAction(options);
    });
}
