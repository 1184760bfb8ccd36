import type { Command } from 'commander';
import { registerScheduleBackfillCommand } from './schedule/backfillCommand';
import { registerScheduleCreateCommand } from './schedule/createCommand';
import { registerScheduleDeleteCommand } from './schedule/deleteCommand';
import { registerScheduleDescribeCommand } from './schedule/describeCommand';
import { registerScheduleListCommand } from './schedule/listCommand';
import { registerSchedulePauseCommands } from './schedule/pauseCommands';
import { registerScheduleTriggerCommand } from './schedule/triggerCommand';
import { registerScheduleUpdateCommand } from './schedule/updateCommand';

/** `uk-chargers schedule …`: the Temporal Schedule that runs the job unattended. */
export function registerScheduleCommand(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('manage the Temporal Schedules that start runs of either dataset unattended')
    .addHelpText(
      'after',
      '\nThe same schedule is visible in the Temporal Web UI (Schedules) and with `temporal schedule describe --schedule-id <id>`.',
    );
  registerScheduleCreateCommand(schedule);
  registerScheduleDescribeCommand(schedule);
  registerScheduleListCommand(schedule);
  registerScheduleUpdateCommand(schedule);
  registerSchedulePauseCommands(schedule);
  registerScheduleTriggerCommand(schedule);
  registerScheduleBackfillCommand(schedule);
  registerScheduleDeleteCommand(schedule);
}
