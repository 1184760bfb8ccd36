import { Option, type Command } from 'commander';
import { OVERLAP_POLICIES } from '../../schedules/scheduleDefinition';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';
import type { TriggerOptions } from './triggerAction';
import type * as TriggerActionModule from './triggerAction';

export function registerScheduleTriggerCommand(schedule: Command): void {
  const command = schedule
    .command('trigger')
    .description("start one run of a schedule now, with the schedule's input, and print its workflow ID");
  addIdOption(command)
    .addOption(
      new Option(
        '--overlap <policy>',
        'overlap policy for this run; the default starts it even while another run is going',
      )
        .choices(OVERLAP_POLICIES)
        .default('allow-all'),
    )
    .addHelpText('after', '\nWorks on a paused schedule too.\n' + SCHEDULE_HELP_FOOTER)
    .action(async (options: TriggerOptions) => {
      const { scheduleTriggerAction } = require('./triggerAction') as typeof TriggerActionModule;
      await scheduleTriggerAction(options);
    });
}
