import { Option, type Command } from 'commander';
import { overlapPolicy, OVERLAP_POLICIES, type OverlapPolicyName } from '../../schedules/scheduleDefinition';
import { CliError } from '../cliError';
import { parseInstant } from '../optionParsers';
import { withClient } from '../temporalClient';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';

interface BackfillOptions {
  id: string;
  from: Date;
  to: Date;
  overlap: OverlapPolicyName;
}

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
    .action((options: BackfillOptions) =>
      withClient(async (client) => {
        if (options.from.getTime() >= options.to.getTime()) throw new CliError('--from must be before --to');
        await client.schedule
          .getHandle(options.id)
          .backfill({ start: options.from, end: options.to, overlap: overlapPolicy(options.overlap) });
        console.log(
          `backfilling schedule ${options.id} from ${options.from.toISOString()} to ${options.to.toISOString()} ` +
            `with overlap ${options.overlap}; the runs appear in uk-chargers schedule describe --id ${options.id}`,
        );
      }),
    );
}
