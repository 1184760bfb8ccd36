import type { Command } from 'commander';
import type { ResultOptions } from './resultAction';
import type * as ResultActionModule from './resultAction';

export function registerResultCommand(program: Command): void {
  program
    .command('result')
    .description(
      'print the report of a run, waiting for it to finish if it is still going; a failed run is one line and exit code 1',
    )
    .argument('<workflowId>', "the run's workflow ID")
    .option('--run-id <runId>', 'a particular run of that workflow ID (default: the latest)')
    .option('--json', 'print the run report as one JSON line')
    .addHelpText(
      'after',
      '\nConnection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or TEMPORAL_PROFILE.',
    )
    .action(async (workflowId: string, options: ResultOptions) => {
      const { resultAction } = require('./resultAction') as typeof ResultActionModule;
      await resultAction(workflowId, options);
    });
}
