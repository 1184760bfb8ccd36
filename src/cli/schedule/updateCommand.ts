import type { Command } from 'commander';
import { webUiScheduleUrl } from '../../config';
import { applyScheduleChanges, type ScheduleChanges } from '../../schedules/scheduleDefinition';
import { describeTiming } from '../../schedules/scheduleText';
import { CliError } from '../cliError';
import { withClient } from '../temporalClient';
import {
  addIdOption,
  addInputOptions,
  addPolicyOptions,
  addTimingOptions,
  inputFrom,
  SCHEDULE_HELP_FOOTER,
  timingFrom,
  type InputOptions,
  type PolicyOptions,
  type TimingOptions,
} from './scheduleOptions';

interface UpdateOptions extends TimingOptions, PolicyOptions, InputOptions {
  id: string;
  resetInput?: boolean;
}

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
    .action((options: UpdateOptions) =>
      withClient(async (client, config) => {
        const changes: ScheduleChanges = {
          timing: timingFrom(options),
          timezone: options.timezone,
          jitterMs: options.jitter,
          overlap: options.overlap,
          catchupWindowMs: options.catchupWindow,
          input: inputFrom(options),
          resetInput: options.resetInput,
        };
        const { input, ...rest } = changes;
        if (
          [...Object.values<unknown>(rest), ...Object.values<unknown>({ ...input })].every(
            (value) => value === undefined,
          )
        ) {
          throw new CliError(
            'schedule update needs something to change: --cron, --every, --timezone, --jitter, --overlap, --catchup-window, --source-url, --destination or --reset-input',
          );
        }
        const handle = client.schedule.getHandle(options.id);
        await handle.update((previous) => applyScheduleChanges(previous, changes));
        const description = await handle.describe();
        const link = webUiScheduleUrl(config, options.id);
        const runInput: unknown = description.action.args?.[0] ?? {};
        console.log(
          `updated schedule ${options.id}: ${describeTiming(description.spec)}; input ${JSON.stringify(runInput)}${link ? ` — ${link}` : ''}`,
        );
      }),
    );
}
