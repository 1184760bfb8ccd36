import type { Command } from 'commander';
import { loadConfig, webUiRunUrl } from '../config';
import type { ChargerEtlInput } from '../domain/runReport';
import { formatReport } from './report';
import { newRunId, startRun, waitForReport } from './runWorkflow';
import { connectClient } from './temporalClient';

interface RunOptions {
  sourceUrl?: string;
  destination?: string;
  force?: boolean;
  json?: boolean;
  workflowId?: string;
  wait: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('start a chargerEtl run on the configured Temporal server, wait for it and print its report')
    .option('--source-url <url>', "registry URL for this run (default: the worker's SOURCE_URL)")
    .option('--destination <uri>', "s3://bucket/prefix/ or file:DIR (default: the worker's DESTINATION)")
    .option('--force', 'publish even if the publish guard objects or the source is unchanged')
    .option('--workflow-id <id>', 'workflow ID to use (default: uk-chargers-<UTC timestamp>)')
    .option('--json', 'print the run report as one JSON line on stdout; progress goes to stderr as plain lines')
    .option('--no-wait', 'print the workflow ID and Web UI link and return at once; follow it with status or result')
    .addHelpText(
      'after',
      '\nIn a terminal, progress (stage, bytes fetched, devices processed) updates on one line; otherwise one line per stage.\n' +
        'The worker (npm run worker) must be polling the task queue. Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,\nTEMPORAL_API_KEY, TEMPORAL_TLS_* or a profile from the Temporal config file (TEMPORAL_PROFILE).',
    )
    .action(async (options: RunOptions) => {
      const config = loadConfig();
      const client = await connectClient(config);
      const input: ChargerEtlInput = {
        sourceUrl: options.sourceUrl,
        destination: options.destination,
        force: options.force ? true : undefined,
      };
      const handle = await startRun(client, config, input, options.workflowId ?? newRunId());
      const link = webUiRunUrl(config, handle.workflowId);
      if (!options.wait) {
        const runId = handle.firstExecutionRunId;
        const runLink = webUiRunUrl(config, handle.workflowId, runId);
        if (options.json)
          console.log(JSON.stringify({ workflowId: handle.workflowId, runId, webUiUrl: runLink ?? null }));
        else
          console.log(
            `workflow ID: ${handle.workflowId}\nWeb UI:      ${runLink ?? '(set TEMPORAL_UI_URL to get a link)'}`,
          );
        await client.connection.close();
        return;
      }
      if (!options.json) process.stderr.write(`started ${handle.workflowId}${link ? ` — ${link}` : ''}\n`);
      // stdout stays machine-readable with --json; progress always goes to stderr.
      const mode = process.stderr.isTTY && !options.json ? 'live' : 'lines';
      const report = await waitForReport(handle, mode, config);
      const runLink = webUiRunUrl(config, report.workflowId, report.runId);
      console.log(
        options.json ? JSON.stringify({ ...report, webUiUrl: runLink ?? null }) : formatReport(report, runLink),
      );
    });
}
