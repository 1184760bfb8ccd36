import type { Command } from 'commander';
import type { PauseOptions } from './pauseAction';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';
import type * as PauseActionModule from './pauseAction';

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
      .action(async (options: PauseOptions) => {
        const { schedulePauseAction } = require('./pauseAction') as typeof PauseActionModule;
        await schedulePauseAction(paused, options);
      });
  }
}
