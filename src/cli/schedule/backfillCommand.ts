import { Option, type Command } from 'commander';
import { OVERLAP_POLICIES } from '../../schedules/scheduleDefinition';
import { parseInstant } from '../optionParsers';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';
import type { BackfillOptions } from './backfillAction';
import type * as BackfillActionModule from './backfillAction';

export function registerScheduleBackfillCommand(schedule: Command): void {
  const command = schedule
    .command('backfill')
    .description(
      'start now the runs the schedule would have started between two instants (e.g. after an outage longer than the catch-up window)',
    );
  addIdOption(command)
    .addOption(
      new Option('--from <instant>', 'start of the range: 2025-01-31 (midnight UTC) or 2025-01-31T06:00:00Z')
        .argParser(parseInstant)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--to <instant>', 'end of the range, same forms').argParser(parseInstant).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--overlap <policy>',
        'overlap policy for the backfilled runs; the default runs them one after another',
      )
        .choices(OVERLAP_POLICIES)
        .default('buffer-all'),
    )
    .addHelpText(
      'after',
      '\nEach backfilled run reads the registry as it is now: the registry has no history, so a backfill\n' +
        'republishes current data rather than the data of the missed day.\n' +
        SCHEDULE_HELP_FOOTER,
    )
    .action(async (options: BackfillOptions) => {
      const { scheduleBackfillAction } = require('./backfillAction') as typeof BackfillActionModule;
      await scheduleBackfillAction(options);
    });
}
