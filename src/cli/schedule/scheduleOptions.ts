import { Option, type Command } from 'commander';
import { inputCredentialsProblem } from '../../domain/runReport';
import {
  DEFAULT_CATCHUP_WINDOW_MS,
  DEFAULT_SCHEDULE_ID,
  OVERLAP_POLICIES,
  type OverlapPolicyName,
  type ScheduledRunInput,
  type ScheduleTiming,
} from '../../schedules/scheduleDefinition';
import { DEFAULT_DATASET, type DatasetName } from '../../workflows/datasets';
import { formatDuration } from '../../domain/duration';
import { CliError } from '../cliError';
import {
  collectValues,
  parseDataset,
  parseDestinationOption,
  parseDuration,
  parseSourceUrl,
  parseTimeZone,
} from '../optionParsers';

/** The options the schedule subcommands share, defined once so their help reads the same everywhere. */

export interface TimingOptions {
  cron?: string;
  every?: number;
  timezone?: string;
  jitter?: number;
}

export interface PolicyOptions {
  overlap?: OverlapPolicyName;
  catchupWindow?: number;
}

export interface InputOptions {
  sourceUrl?: string;
  destination?: string;
  /** Only `schedule create` has --dataset and --feed; the others keep the schedule's dataset. */
  dataset?: DatasetName;
  feed?: string[];
}

export function addIdOption(command: Command): Command {
  return command.option('--id <scheduleId>', 'schedule ID', DEFAULT_SCHEDULE_ID);
}

export function addTimingOptions(command: Command, { timezoneDefault }: { timezoneDefault?: string }): Command {
  const timezone = new Option(
    '--timezone <zone>',
    'IANA time zone the cron expression is read in, e.g. Europe/London',
  ).argParser(parseTimeZone);
  return command
    .addOption(
      new Option(
        '--cron <expression>',
        'when to run, as a cron expression: "minute hour day-of-month month day-of-week", e.g. "0 6 * * *"',
      ).conflicts('every'),
    )
    .addOption(
      new Option('--every <duration>', 'run at a fixed interval instead, e.g. 24h, 6h, 30m').argParser(parseDuration),
    )
    .addOption(timezoneDefault ? timezone.default(timezoneDefault) : timezone)
    .addOption(
      new Option('--jitter <duration>', 'start each run up to this much later, at random, e.g. 5m').argParser(
        parseDuration,
      ),
    );
}

export function addPolicyOptions(command: Command, { withDefaults }: { withDefaults: boolean }): Command {
  const overlap = new Option(
    '--overlap <policy>',
    'what happens when a run is due while the previous one is still going',
  ).choices(OVERLAP_POLICIES);
  const catchup = new Option(
    '--catchup-window <duration>',
    'after an outage of the Temporal server, runs missed by at most this long still start (minimum 10s)',
  ).argParser(parseDuration);
  return command
    .addOption(withDefaults ? overlap.default('skip') : overlap)
    .addOption(
      withDefaults ? catchup.default(DEFAULT_CATCHUP_WINDOW_MS, formatDuration(DEFAULT_CATCHUP_WINDOW_MS)) : catchup,
    );
}

export function addInputOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--source-url <url>', "registry URL the runs read (default: the worker's SOURCE_URL)").argParser(
        parseSourceUrl,
      ),
    )
    .addOption(
      new Option(
        '--destination <uri>',
        "s3://bucket/prefix/ or file:DIR the runs publish to (default: the worker's DESTINATION)",
      ).argParser(parseDestinationOption),
    );
}

/** --dataset and --feed: which workflow a new schedule starts, and a charge-points schedule's feeds. */
export function addDatasetOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--dataset <name>',
        'charger-models (runs chargerEtl) or charge-points (runs chargePointsEtl over the feed catalogue)',
      )
        .argParser(parseDataset)
        .default(DEFAULT_DATASET),
    )
    .addOption(
      new Option(
        '--feed <id>',
        'charge-points only: the runs fetch this catalogue feed (repeat for more; default: every enabled feed)',
      ).argParser(collectValues),
    );
}

/** The timing given on the command line, if any (commander already refuses --cron with --every). */
export function timingFrom(options: TimingOptions): ScheduleTiming | undefined {
  if (options.cron !== undefined) {
    const cron = options.cron.trim().replace(/\s+/g, ' ');
    if (cron === '') throw new CliError('--cron needs an expression, e.g. "0 6 * * *"');
    return { cron };
  }
  return options.every !== undefined ? { everyMs: options.every } : undefined;
}

/** The run input the options give; refused when it carries credentials, as the schedule stores it and every run's history repeats it. */
export function inputFrom(options: InputOptions): ScheduledRunInput {
  const chargePoints = options.dataset === 'charge-points';
  if (chargePoints && options.sourceUrl !== undefined)
    throw new CliError(
      '--source-url is for --dataset charger-models; charge-points runs read the feed catalogue (FEEDS_FILE on the worker)',
    );
  if (!chargePoints && options.feed !== undefined) throw new CliError('--feed is for --dataset charge-points');
  const input = chargePoints
    ? { feeds: options.feed, destination: options.destination }
    : { sourceUrl: options.sourceUrl, destination: options.destination };
  const credentialsProblem = inputCredentialsProblem({
    destination: options.destination,
    sourceUrl: options.sourceUrl,
  });
  if (credentialsProblem) throw new CliError(credentialsProblem);
  return input;
}

export const SCHEDULE_HELP_FOOTER =
  '\nConnection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or a profile from the Temporal\n' +
  'config file (TEMPORAL_PROFILE). Runs go to the task queue TEMPORAL_TASK_QUEUE (default uk-chargers).';
