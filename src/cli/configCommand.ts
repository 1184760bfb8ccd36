import type { Command } from 'commander';
import type * as ConfigActionModule from './configAction';

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('validate the configuration and print the effective settings, secrets redacted')
    .option('--json', 'print it as one JSON line')
    .addHelpText(
      'after',
      '\nReads the same environment as the worker (see README, Configuration) and the Temporal config file\n' +
        '(TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE). Every invalid setting is listed, and the exit code is 1.',
    )
    .action(async (options: { json?: boolean }) => {
      const { configAction } = require('./configAction') as typeof ConfigActionModule;
      await configAction(options);
    });
}
