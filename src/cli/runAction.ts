import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { loadConfig, webUiRunUrl, type AppConfig } from '../config';
import type { ChargerEtlInput } from '../domain/runReport';
import { type DatasetName } from '../workflows/datasets';
import { formatChargePointsReport } from './chargePointsReport';
import { CliError } from './cliError';
import { formatReport } from './report';
import { newChargePointsRunId, startChargePointsRun, waitForChargePointsReport } from './runChargePoints';
import { newRunId, startRun, waitForReport, type ProgressMode } from './runWorkflow';
import { connectClient } from './temporalClient';

export interface RunOptions {
  dataset: DatasetName;
  sourceUrl?: string;
  feed?: string[];
  destination?: string;
  force?: boolean;
  json?: boolean;
  workflowId?: string;
  wait: boolean;
}

/** `uk-chargers run`: starts a run and, unless --no-wait, follows it to its report. */
export async function runAction(options: RunOptions): Promise<void> {
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
