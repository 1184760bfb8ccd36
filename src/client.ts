#!/usr/bin/env node
import { CommanderError } from 'commander';
import { CliError } from './cli/cliError';
import { buildProgram } from './cli/program';
import { ConfigError, UkChargersError } from './domain/errors';

/** CLI entry point: one line per error and a non-zero exit; the stack only with --verbose. */
async function main(argv: string[]): Promise<void> {
  await buildProgram(argv).parseAsync(argv);
}

// A reader that stops early (`uk-chargers list | head`) closes the pipe: that ends the output, not in a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  console.error(`uk-chargers: cannot write to standard output: ${error.message}`);
  process.exit(1);
});

main(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // Commander has already printed help, the version or a usage error.
    process.exit(error.exitCode);
  }
  const verbose = process.argv.includes('--verbose');
  if (error instanceof ConfigError) {
    console.error(
      `uk-chargers: invalid configuration:\n${error.problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  } else if (error instanceof CliError || error instanceof UkChargersError) {
    console.error(`uk-chargers: ${error.message}`);
  } else {
    console.error(`uk-chargers: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (verbose && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(error instanceof CliError ? error.exitCode : 1);
});
