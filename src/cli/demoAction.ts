import { NativeConnection } from '@temporalio/worker';
import { loadConfig, webUiRunUrl } from '../config';
import { startSampleFeeds, writeCatalogue } from '../demo/sampleFeeds';
import { startSampleRegistry } from '../demo/sampleRegistry';
import { runSearchAttributeDeclarations } from '../visibility/runMemo';
import { createEtlWorker } from '../etlWorker';
import { installJsonLogging } from '../logging';
import { startTemporalDevServer, type TemporalDevServer } from '../services/temporalDevServer';
import { formatChargePointsReport } from './chargePointsReport';
import { formatReport } from './report';
import { newChargePointsRunId, startChargePointsRun, waitForChargePointsReport } from './runChargePoints';
import { newRunId, startRun, waitForReport } from './runWorkflow';
import { connectClient } from './temporalClient';

/** Its own task queue, so the demo's worker never takes work meant for a production worker. */
const DEMO_TASK_QUEUE = 'uk-chargers-demo';

export interface DemoOptions {
  destination: string;
  keepRunning?: boolean;
  json?: boolean;
  /** The program's --verbose. */
  verbose?: boolean;
}

/** `uk-chargers demo`: both datasets end to end, offline. */
export async function demoAction(options: DemoOptions): Promise<void> {
  const log = (line: string): void => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const keepRunning = options.keepRunning ?? Boolean(process.stdout.isTTY);
  // The worker's own lifecycle logs would bury the report; --verbose brings them back.
  installJsonLogging(options.verbose ? 'info' : 'warn');
  let server: TemporalDevServer | undefined;
  if (!process.env.TEMPORAL_ADDRESS) {
    log('starting a local Temporal dev server…');
    server = await startTemporalDevServer({
      ui: true,
      port: 7233,
      uiPort: 8233,
      fallbackToFreePorts: true,
      searchAttributes: runSearchAttributeDeclarations(),
      log,
    });
  }
  const registry = await startSampleRegistry();
  const feeds = await startSampleFeeds();
  const catalogue = await writeCatalogue(feeds.catalogue);
  try {
    const config = loadConfig({
      ...process.env,
      ...(server && { TEMPORAL_ADDRESS: server.address, TEMPORAL_UI_URL: server.uiUrl }),
      TEMPORAL_TASK_QUEUE: DEMO_TASK_QUEUE,
      SOURCE_URL: registry.url,
      SOURCE_ALLOWED_HOSTS: '127.0.0.1',
      DESTINATION: options.destination,
      FEEDS_FILE: catalogue.path,
    });
    const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
    const worker = await createEtlWorker({ config, connection });
    const client = await connectClient(config);
    const mode = options.json ? 'none' : 'lines';
    const print = (report: { workflowId: string; runId: string }, text: (link?: string) => string): void => {
      const link = webUiRunUrl(config, report.workflowId, report.runId);
      if (options.json) {
        console.log(JSON.stringify({ ...report, webUiUrl: link ?? null }));
        return;
      }
      console.log(
        `${text(link)}\n\nworkflow ID: ${report.workflowId}\nWeb UI:      ${link ?? '(set TEMPORAL_UI_URL to get a link)'}`,
      );
    };
    await worker.runUntil(async () => {
      log('\ncharger-models: chargerEtl over the NCR sample');
      const handle = await startRun(client, config, {}, newRunId());
      log(`workflow ${handle.workflowId} started on task queue ${DEMO_TASK_QUEUE}`);
      const report = await waitForReport(handle, mode, config);
      print(report, (link) => formatReport(report, link));

      log(`\ncharge-points: chargePointsEtl over ${feeds.catalogue.length} recorded open-data feeds`);
      const chargePointsHandle = await startChargePointsRun(client, config, {}, newChargePointsRunId());
      log(`workflow ${chargePointsHandle.workflowId} started on task queue ${DEMO_TASK_QUEUE}`);
      const chargePoints = await waitForChargePointsReport(chargePointsHandle, mode, config);
      if (!options.json) console.log('');
      print(chargePoints, (link) => formatChargePointsReport(chargePoints, link));
    });
    await client.connection.close();
    await connection.close();
    if (server && keepRunning) {
      log(`\nThe Temporal server and its Web UI (${server.uiUrl}) stay up; press Ctrl-C to stop.`);
      await waitForInterrupt();
    }
  } finally {
    await registry.close();
    await feeds.close();
    await catalogue.remove();
    await server?.stop();
  }
}

function waitForInterrupt(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
