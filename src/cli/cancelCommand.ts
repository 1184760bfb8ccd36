import type { Command } from 'commander';
import type { CancelOptions } from './cancelAction';
import type * as CancelActionModule from './cancelAction';

export function registerCancelCommand(program: Command): void {
  program
    .command('cancel')
    .description('ask a running run to stop: its current activity is cancelled and nothing more is published')
    .argument('<workflowId>', "the run's workflow ID")
    .option('--wait', 'wait until the run has stopped and say how it ended')
    .addHelpText(
      'after',
      '\nA run that has already replaced the stable CSV keeps it; its staging area stays for inspection.\n' +
        'Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* or TEMPORAL_PROFILE.',
    )
    .action(async (workflowId: string, options: CancelOptions) => {
      const { cancelAction } = require('./cancelAction') as typeof CancelActionModule;
      await cancelAction(workflowId, options);
    });
}
