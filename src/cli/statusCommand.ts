import type { Command } from 'commander';
import type { StatusOptions } from './statusAction';
import type * as StatusActionModule from './statusAction';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'show where a run is: status, stage, bytes fetched or feeds done, activity attempts and last failure, or its outcome',
    )
    .argument('<workflowId>', "the run's workflow ID (printed by run, list and schedule trigger)")
    .option('--run-id <runId>', 'a particular run of that workflow ID (default: the latest)')
    .option('--json', 'print it as one JSON object')
    .addHelpText(
      'after',
      "\nA running workflow's stage comes from its progress query, which a worker on its task queue answers;\n" +
        "the running activity's attempt, last failure and counters (its heartbeat details) from the server.\n" +
        "For a charge-points run, also each running feed's child (<workflowId>-feed-<feedId>) and its pending activity.\n" +
        'Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or TEMPORAL_PROFILE.',
    )
    .action(async (workflowId: string, options: StatusOptions) => {
      const { statusAction } = require('./statusAction') as typeof StatusActionModule;
      await statusAction(workflowId, options);
    });
}
