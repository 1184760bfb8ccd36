import { setTimeout as sleep } from 'node:timers/promises';
import { webUiRunUrl } from '../../config';
import { overlapPolicy, type OverlapPolicyName } from '../../schedules/scheduleDefinition';
import { CliError } from '../cliError';
import { withClient } from '../temporalClient';

export interface TriggerOptions {
  id: string;
  overlap: OverlapPolicyName;
}

/** How long to wait for the server to report the triggered run before saying so. */
const REPORT_TIMEOUT_MS = 10_000;

/** `uk-chargers schedule trigger`: one run now, reported once the server has started it. */
export function scheduleTriggerAction(options: TriggerOptions): Promise<void> {
  return withClient(async (client, config) => {
    const handle = client.schedule.getHandle(options.id);
    const before = (await handle.describe()).info;
    await handle.trigger(overlapPolicy(options.overlap));
    // The server starts the run asynchronously; its description says when it did, or that the policy skipped it.
    const deadline = Date.now() + REPORT_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const { info } = await handle.describe();
      if (info.numActionsTaken > before.numActionsTaken) {
        const { workflowId, firstExecutionRunId } = info.recentActions.at(-1)!.action.workflow;
        const link = webUiRunUrl(config, workflowId, firstExecutionRunId);
        console.log(`triggered schedule ${options.id}: started ${workflowId}${link ? ` — ${link}` : ''}`);
        return;
      }
      if (info.numActionsSkippedOverlap > before.numActionsSkippedOverlap) {
        throw new CliError(
          `schedule ${options.id} did not start a run: a run is still going and overlap policy ${options.overlap} skips it (use --overlap allow-all)`,
        );
      }
      await sleep(250);
    }
    console.log(
      `triggered schedule ${options.id}; the server has not reported the run yet (see uk-chargers schedule describe --id ${options.id})`,
    );
  });
}
