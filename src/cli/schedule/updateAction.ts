import { webUiScheduleUrl } from '../../config';
import { applyScheduleChanges, type ScheduleChanges } from '../../schedules/scheduleDefinition';
import { describeTiming } from '../../schedules/scheduleText';
import { CliError } from '../cliError';
import { withClient } from '../temporalClient';
import { inputFrom, timingFrom, type InputOptions, type PolicyOptions, type TimingOptions } from './scheduleOptions';

export interface UpdateOptions extends TimingOptions, PolicyOptions, InputOptions {
  id: string;
  resetInput?: boolean;
}

/** `uk-chargers schedule update`: changes what is given, keeps the rest. */
export function scheduleUpdateAction(options: UpdateOptions): Promise<void> {
  return withClient(async (client, config) => {
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
      [...Object.values<unknown>(rest), ...Object.values<unknown>({ ...input })].every((value) => value === undefined)
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
  });
}
