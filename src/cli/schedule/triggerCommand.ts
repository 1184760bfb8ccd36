import { setTimeout as sleep } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import { webUiRunUrl } from '../../config';
import { overlapPolicy, OVERLAP_POLICIES, type OverlapPolicyName } from '../../schedules/scheduleDefinition';
import { CliError } from '../cliError';
import { withClient } from '../temporalClient';
import { addIdOption, SCHEDULE_HELP_FOOTER } from './scheduleOptions';

interface TriggerOptions {
  id: string;
  overlap: OverlapPolicyName;
}

/** How long to wait for the server to report the triggered run before saying so. */
const REPORT_TIMEOUT_MS = 10_000;

export function registerScheduleTriggerCommand(schedule: Command): void {
  const command = schedule
    .command('trigger')
    .description("start one run of a schedule now, with the schedule's input, and print its workflow ID");
  addIdOption(command)
    .addOption(
      new Option(
        '--overlap <policy>',
        'overlap policy for this run; the default starts it even while another run is going',
      )
        .choices(OVERLAP_POLICIES)
        .default('allow-all'),
    )
    .addHelpText('after', '\nWorks on a paused schedule too.\n' + SCHEDULE_HELP_FOOTER)
    .action((options: TriggerOptions) =>
      withClient(async (client, config) => {
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
      }),
    );
}
