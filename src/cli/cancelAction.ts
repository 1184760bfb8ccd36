import { WorkflowFailedError } from '@temporalio/client';
import { CliError } from './cliError';
import { withClient } from './temporalClient';

export interface CancelOptions {
  wait?: boolean;
}

/** `uk-chargers cancel`: asks a running run to stop. */
export function cancelAction(workflowId: string, options: CancelOptions): Promise<void> {
  return withClient(async (client) => {
    const handle = client.workflow.getHandle(workflowId);
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') throw new CliError(`run ${workflowId} is already ${status.name}; nothing to cancel`);
    await handle.cancel();
    if (!options.wait) {
      console.log(`cancellation of ${workflowId} requested`);
      return;
    }
    await handle.result().catch((error: unknown) => {
      if (!(error instanceof WorkflowFailedError)) throw error;
    });
    console.log(`run ${workflowId} ended: ${(await handle.describe()).status.name}`);
  });
}
