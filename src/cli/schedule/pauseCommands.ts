import type { Command } from 'commander';
import { withClient } from '../temporalClient';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';

interface PauseOptions {
  id: string;
  reason?: string;
}

/** `schedule pause` and `schedule unpause`: the note records who or why, and shows in describe and the Web UI. */
export function registerSchedulePauseCommands(schedule: Command): void {
  for (const paused of [true, false]) {
    const name = paused ? 'pause' : 'unpause';
    const command = schedule
      .command(name)
      .description(
        paused
          ? 'stop a schedule from starting runs (running ones carry on)'
          : 'let a paused schedule start runs again',
      );
    addIdOption(command)
      .option(
        '--reason <text>',
        'why; kept as the schedule note',
        `${paused ? 'paused' : 'unpaused'} with uk-chargers schedule ${name}`,
      )
      .addHelpText('after', SCHEDULE_HELP_FOOTER)
      .action((options: PauseOptions) =>
        withClient(async (client) => {
          const handle = client.schedule.getHandle(options.id);
          await (paused ? handle.pause(options.reason) : handle.unpause(options.reason));
          console.log(`${paused ? 'paused' : 'unpaused'} schedule ${options.id} (${options.reason})`);
        }),
      );
  }
}
