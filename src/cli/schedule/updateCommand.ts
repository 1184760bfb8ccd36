import type { Command } from 'commander';
import {
  addIdOption,
  addInputOptions,
  addPolicyOptions,
  addTimingOptions,
  SCHEDULE_HELP_FOOTER,
} from './scheduleOptions';
import type { UpdateOptions } from './updateAction';
import type * as UpdateActionModule from './updateAction';

export function registerScheduleUpdateCommand(schedule: Command): void {
  const command = schedule
    .command('update')
    .description("change a schedule's timing, policies or run input; whatever is not given stays as it is");
  addIdOption(command);
  addTimingOptions(command, {});
  addPolicyOptions(command, { withDefaults: false });
  addInputOptions(command);
  command
    .option(
      '--reset-input',
      "clear the run input back to the worker's defaults (then apply --source-url/--destination, if given)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  uk-chargers schedule update --cron "30 5 * * *"          # new time, same zone, jitter and input\n' +
        '  uk-chargers schedule update --destination s3://bucket/v2/ --overlap buffer-one\n' +
        '  uk-chargers schedule update --reset-input\n' +
        SCHEDULE_HELP_FOOTER,
    )
    .action(async (options: UpdateOptions) => {
      const { scheduleUpdateAction } = require('./updateAction') as typeof UpdateActionModule;
      await scheduleUpdateAction(options);
    });
}
