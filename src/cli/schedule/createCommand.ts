import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { webUiScheduleUrl, type AppConfig } from '../../config';
import {
  applyScheduleChanges,
  scheduleOptions,
  type OverlapPolicyName,
  type ScheduleSettings,
} from '../../schedules/scheduleDefinition';
import { describeTiming } from '../../schedules/scheduleText';
import { CliError } from '../cliError';
import { withClient } from '../temporalClient';
import {
  addDatasetOptions,
  addIdOption,
  addInputOptions,
  addPolicyOptions,
  addTimingOptions,
  inputFrom,
  SCHEDULE_HELP_FOOTER,
  timingFrom,
  type InputOptions,
  type TimingOptions,
} from './scheduleOptions';

interface CreateOptions extends TimingOptions, InputOptions {
  id: string;
  timezone: string;
  overlap: OverlapPolicyName;
  catchupWindow: number;
  paused?: boolean;
  updateIfExists?: boolean;
}

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
    .action((options: CreateOptions) => withClient((client, config) => createSchedule(client, config, options)));
}

async function createSchedule(client: Client, config: AppConfig, options: CreateOptions): Promise<void> {
  const timing = timingFrom(options);
  if (!timing) throw new CliError('schedule create needs --cron "<expression>" or --every <duration>');
  const settings: ScheduleSettings = {
    scheduleId: options.id,
    dataset: options.dataset,
    taskQueue: config.temporal.taskQueue,
    timing,
    timezone: options.timezone,
    jitterMs: options.jitter,
    overlap: options.overlap,
    catchupWindowMs: options.catchupWindow,
    input: inputFrom(options),
    paused: options.paused ?? false,
  };
  let verb = 'created';
  try {
    await client.schedule.create(scheduleOptions(settings));
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) {
      throw new CliError(
        `cannot create schedule ${options.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!options.updateIfExists) {
      throw new CliError(
        `schedule ${options.id} already exists; nothing changed (add --update-if-exists to replace its spec, policies and input)`,
      );
    }
    await client.schedule.getHandle(options.id).update((previous) =>
      applyScheduleChanges(previous, {
        timing,
        timezone: settings.timezone,
        jitterMs: settings.jitterMs ?? 0,
        overlap: settings.overlap,
        catchupWindowMs: settings.catchupWindowMs,
        dataset: settings.dataset,
        input: settings.input,
        resetInput: true,
        taskQueue: settings.taskQueue,
        paused: options.paused ? true : undefined,
      }),
    );
    verb = 'updated';
  }
  const description = await client.schedule.getHandle(options.id).describe();
  const next = description.state.paused
    ? 'paused'
    : `next run ${description.info.nextActionTimes[0]?.toISOString() ?? '(none)'}`;
  const link = webUiScheduleUrl(config, options.id);
  console.log(
    `${verb} schedule ${options.id}: ${describeTiming(description.spec)}; ${next}${link ? ` — ${link}` : ''}`,
  );
}
