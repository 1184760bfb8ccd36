import type { Command } from 'commander';
import { withClient } from '../temporalClient';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';

export function registerScheduleDeleteCommand(schedule: Command): void {
  const command = schedule
    .command('delete')
    .description('delete a schedule; runs it already started carry on and stay in history');
  addIdOption(command)
    .addHelpText('after', SCHEDULE_HELP_FOOTER)
    .action((options: { id: string }) =>
      withClient(async (client) => {
        await client.schedule.getHandle(options.id).delete();
        console.log(`deleted schedule ${options.id}`);
      }),
    );
}
