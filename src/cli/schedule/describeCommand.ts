import type { Command } from 'commander';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';
import type { DescribeOptions } from './describeAction';
import type * as DescribeActionModule from './describeAction';

export function registerScheduleDescribeCommand(schedule: Command): void {
  const command = schedule
    .command('describe')
    .description('show a schedule: timing, state, policies, input, recent and next runs');
  addIdOption(command)
    .option('--json', 'print it as one JSON object')
    .addHelpText('after', SCHEDULE_HELP_FOOTER)
    .action(async (options: DescribeOptions) => {
      const { scheduleDescribeAction } = require('./describeAction') as typeof DescribeActionModule;
      await scheduleDescribeAction(options);
    });
}
