import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
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
import { inputFrom, timingFrom, type InputOptions, type TimingOptions } from './scheduleOptions';

export interface CreateOptions extends TimingOptions, InputOptions {
  id: string;
  timezone: string;
  overlap: OverlapPolicyName;
  catchupWindow: number;
  paused?: boolean;
  updateIfExists?: boolean;
}

/** `uk-chargers schedule create`: creates the schedule, or with --update-if-exists replaces an existing one's settings. */
export function scheduleCreateAction(options: CreateOptions): Promise<void> {
  return withClient((client, config) => createSchedule(client, config, options));
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
