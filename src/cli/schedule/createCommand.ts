import type { Command } from 'commander';
import {
  addDatasetOptions,
  addIdOption,
  addInputOptions,
  addPolicyOptions,
  addTimingOptions,
  SCHEDULE_HELP_FOOTER,
} from './scheduleOptions';
import type { CreateOptions } from './createAction';
import type * as CreateActionModule from './createAction';

export function registerScheduleCreateCommand(schedule: Command): void {
  const command = schedule
    .command('create')
    .description(
      'create a Temporal Schedule that starts runs of a dataset unattended (one of --cron or --every is required)',
    );
  addIdOption(command);
  addTimingOptions(command, { timezoneDefault: 'UTC' });
  addPolicyOptions(command, { withDefaults: true });
  addInputOptions(command);
  addDatasetOptions(command);
  command
    .option('--paused', 'create it paused: nothing runs until `schedule unpause`')
    .option(
      '--update-if-exists',
      'if the schedule exists, replace its spec, policies, task queue and input with these (it stays paused or active unless --paused)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  uk-chargers schedule create --cron "0 6 * * *" --timezone Europe/London\n' +
        '  uk-chargers schedule create --id uk-chargers-hourly --every 1h --jitter 5m --destination s3://bucket/ev/\n' +
        '  uk-chargers schedule create --id uk-chargers-charge-points-daily --dataset charge-points --cron "0 5 * * *"\n' +
        '\nA schedule that already exists is left unchanged (exit code 1) unless --update-if-exists is given.\n' +
        SCHEDULE_HELP_FOOTER,
    )
    .action(async (options: CreateOptions) => {
      const { scheduleCreateAction } = require('./createAction') as typeof CreateActionModule;
      await scheduleCreateAction(options);
    });
}
