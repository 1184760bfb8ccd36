import { WorkflowFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { CliError } from './cliError';
import { withClient } from './temporalClient';

interface CancelOptions {
  wait?: boolean;
}

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
    .action((workflowId: string, options: CancelOptions) =>
      withClient(async (client) => {
        const handle = client.workflow.getHandle(workflowId);
        const { status } = await handle.describe();
        if (status.name !== 'RUNNING')
          throw new CliError(`run ${workflowId} is already ${status.name}; nothing to cancel`);
        await handle.cancel();
        if (!options.wait) {
          console.log(`cancellation of ${workflowId} requested`);
          return;
        }
        await handle.result().catch((error: unknown) => {
          if (!(error instanceof WorkflowFailedError)) throw error;
        });
        console.log(`run ${workflowId} ended: ${(await handle.describe()).status.name}`);
      }),
    );
}
