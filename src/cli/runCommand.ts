import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Command } from 'commander';
import { loadConfig, webUiRunUrl, type AppConfig } from '../config';
import type { ChargerEtlInput } from '../domain/runReport';
import { DEFAULT_DATASET, type DatasetName } from '../workflows/datasets';
import { formatChargePointsReport } from './chargePointsReport';
import { CliError } from './cliError';
import { collectValues, parseDataset } from './optionParsers';
import { formatReport } from './report';
import { newChargePointsRunId, startChargePointsRun, waitForChargePointsReport } from './runChargePoints';
import { newRunId, startRun, waitForReport, type ProgressMode } from './runWorkflow';
import { connectClient } from './temporalClient';

interface RunOptions {
  dataset: DatasetName;
  sourceUrl?: string;
  feed?: string[];
  destination?: string;
  force?: boolean;
  json?: boolean;
  workflowId?: string;
  wait: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('start a run on the configured Temporal server, wait for it and print its report')
    .option('--source-url <url>', "registry URL for this run (default: the worker's SOURCE_URL); charger-models only")
    .option('--destination <uri>', "s3://bucket/prefix/ or file:DIR (default: the worker's DESTINATION)")
    .option('--force', 'publish even if the publish guard objects or the source is unchanged')
    .option(
      '--workflow-id <id>',
      'workflow ID to use (default: uk-chargers-<UTC timestamp>, uk-chargers-charge-points-<UTC timestamp>)',
    )
    .option('--json', 'print the run report as one JSON line on stdout; progress goes to stderr as plain lines')
    .option('--no-wait', 'print the workflow ID and Web UI link and return at once; follow it with status or result')
    .option(
      '--dataset <name>',
      'charger-models (chargerEtl: charger_models_UK.csv from the registry) or charge-points (chargePointsEtl: charge_points_UK.csv from the open-data feeds)',
      parseDataset,
      DEFAULT_DATASET,
    )
    .option(
      '--feed <id>',
      'charge-points only: fetch this catalogue feed (repeat for more; default: every enabled feed)',
      collectValues,
    )
    .addHelpText(
      'after',
      '\nIn a terminal, progress updates on one line (charger-models: stage, bytes fetched, devices processed;\n' +
        'charge-points: stage, feeds done per status, feeds running); otherwise one line per change.\n' +
        'The worker (npm run worker) must be polling the task queue. Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,\nTEMPORAL_API_KEY, TEMPORAL_TLS_* or a profile from the Temporal config file (TEMPORAL_PROFILE).',
    )
    .action(async (options: RunOptions) => {
      if (options.dataset === 'charge-points' && options.sourceUrl !== undefined)
        throw new CliError(
          '--source-url is for --dataset charger-models; a charge-points run reads the feed catalogue (FEEDS_FILE on the worker)',
        );
      if (options.dataset === 'charger-models' && options.feed !== undefined)
        throw new CliError('--feed is for --dataset charge-points');
      const config = loadConfig();
      const client = await connectClient(config);
      const handle =
        options.dataset === 'charge-points'
          ? await startChargePointsRun(
              client,
              config,
              {
                feeds: options.feed,
                destination: options.destination,
                force: options.force ? true : undefined,
              },
              options.workflowId ?? newChargePointsRunId(),
            )
          : await startRun(client, config, chargerModelsInput(options), options.workflowId ?? newRunId());
      if (!options.wait) {
        await printStarted(client, config, handle, options.json);
        return;
      }
      const link = webUiRunUrl(config, handle.workflowId);
      if (!options.json) process.stderr.write(`started ${handle.workflowId}${link ? ` — ${link}` : ''}\n`);
      // stdout stays machine-readable with --json; progress always goes to stderr.
      const mode: ProgressMode = process.stderr.isTTY && !options.json ? 'live' : 'lines';
      const report =
        options.dataset === 'charge-points'
          ? await waitForChargePointsReport(handle, mode, config)
          : await waitForReport(handle, mode, config);
      const runLink = webUiRunUrl(config, report.workflowId, report.runId);
      if (options.json) console.log(JSON.stringify({ ...report, webUiUrl: runLink ?? null }));
      else if ('feeds' in report) console.log(formatChargePointsReport(report, runLink));
      else console.log(formatReport(report, runLink));
    });
}

function chargerModelsInput(options: RunOptions): ChargerEtlInput {
  return {
    sourceUrl: options.sourceUrl,
    destination: options.destination,
    force: options.force ? true : undefined,
  };
}

async function printStarted(
  client: Client,
  config: AppConfig,
  handle: WorkflowHandleWithFirstExecutionRunId,
  json: boolean | undefined,
): Promise<void> {
  const runId = handle.firstExecutionRunId;
  const runLink = webUiRunUrl(config, handle.workflowId, runId);
  if (json) console.log(JSON.stringify({ workflowId: handle.workflowId, runId, webUiUrl: runLink ?? null }));
  else
    console.log(`workflow ID: ${handle.workflowId}\nWeb UI:      ${runLink ?? '(set TEMPORAL_UI_URL to get a link)'}`);
  await client.connection.close();
}
