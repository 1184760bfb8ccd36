import { mkdir, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../src/config';
import type { ChargerEtlInput, RunReport } from '../src/domain/runReport';
import { runSearchAttributeDeclarations } from '../src/visibility/runMemo';
import { createEtlWorker } from '../src/etlWorker';
import { installJsonLogging } from '../src/logging';
import { findOrBuildMinio, findOrBuildTemporalCli } from '../src/services/binaries';
import { minioEnvironment, startMinioServer } from '../src/services/minioServer';
import { startTemporalDevServer } from '../src/services/temporalDevServer';
import type { chargerEtl } from '../src/workflows';
import { CHARGER_ETL_WORKFLOW, progressQuery } from '../src/workflows/definitions';
import { startFaultyRegistry, type FaultyRegistry } from '../test/support/faultyRegistry';
import {
  HISTORIES_DIR,
  historyFromJson,
  historyToJson,
  RECORDED_RUNS,
  recordedHistoryPath,
  recordedWorkflowId,
  type RecordedRun,
} from '../test/support/recordedHistories';
import { samplePayload, scaledPayload } from '../test/support/registryPayload';
import { eventsText, failureOf } from '../test/support/runInspection';

/**
 * `npm run record-histories`: runs each representative chargerEtl scenario on
 * a fresh Temporal dev server and MinIO (as the tests start them), with a real
 * worker and a local registry, and writes each recorded run's history to
 * test/fixtures/histories/<run>.json for the replay test
 * (test/unit/workflow-replay.test.ts). Fixed workflow IDs, task queue, worker
 * identity and bucket keep a re-recording's diff to what really changed.
 */

const TASK_QUEUE = 'record-histories';
const IDENTITY = 'record-histories';
const BUCKET = 'histories';
const PAYLOAD = samplePayload();

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

interface Recording {
  registry: FaultyRegistry;
  /** Starts chargerEtl; the recorded run of a scenario passes its recorded workflow ID. */
  start: (input: ChargerEtlInput, workflowId?: string) => Promise<WorkflowHandle<typeof chargerEtl>>;
}

/**
 * Each scenario prepares what its run needs (served paths, earlier runs), runs
 * the run to record, checks it ended as the scenario means, and returns its handle.
 */
const SCENARIOS: Record<RecordedRun, (recording: Recording, workflowId: string) => Promise<WorkflowHandle>> = {
  async 'published-to-s3'({ registry, start }, workflowId) {
    registry.serve('/published.json', { body: PAYLOAD });
    const handle = await start(
      { sourceUrl: registry.url('/published.json'), destination: `s3://${BUCKET}/published/` },
      workflowId,
    );
    expectReport(await handle.result(), (report) => report.published, 'published');
    return handle;
  },

  async 'unchanged-304'({ registry, start }, workflowId) {
    registry.serve('/unchanged.json', { body: PAYLOAD, etag: '"v1"', lastModified: 'Tue, 24 Nov 2026 06:00:00 GMT' });
    const input = { sourceUrl: registry.url('/unchanged.json'), destination: `s3://${BUCKET}/unchanged/` };
    expectReport(await (await start(input)).result(), (report) => report.published, 'published (the run before)');
    const handle = await start(input, workflowId);
    expectReport(
      await handle.result(),
      (report) => report.publishReason.includes('304 Not Modified'),
      'unchanged on a 304',
    );
    return handle;
  },

  async 'truncated-refetched'({ registry, start }, workflowId) {
    // The probe is answered normally, the first download with complete headers but incomplete JSON.
    registry.serve('/truncated.json', { body: PAYLOAD });
    registry.failNext('/truncated.json', [{}, { body: PAYLOAD.subarray(0, 6_000), contentType: 'application/json' }]);
    const handle = await start(
      { sourceUrl: registry.url('/truncated.json'), destination: `s3://${BUCKET}/truncated/` },
      workflowId,
    );
    expectReport(await handle.result(), (report) => report.published, 'published');
    const { fetchRounds } = await handle.query(progressQuery);
    if (fetchRounds !== 2) throw new Error(`expected 2 fetch rounds, the run made ${fetchRounds}`);
    return handle;
  },

  async 'publish-refused'({ registry, start }, workflowId) {
    registry.serve('/full.json', { body: scaledPayload(1_000) });
    registry.serve('/shrunk.json', { body: scaledPayload(600) });
    const destination = `s3://${BUCKET}/refused/`;
    expectReport(
      await (await start({ sourceUrl: registry.url('/full.json'), destination })).result(),
      (report) => report.published,
      'published (the run before)',
    );
    const handle = await start({ sourceUrl: registry.url('/shrunk.json'), destination }, workflowId);
    expectFailure(await failureOf(handle), 'upload', 'PublishRefused');
    return handle;
  },

  async 'source-404'({ registry, start }, workflowId) {
    // Nothing is served at this path: the registry answers 404.
    const handle = await start(
      { sourceUrl: registry.url('/missing.json'), destination: `s3://${BUCKET}/missing/` },
      workflowId,
    );
    expectFailure(await failureOf(handle), 'checkStatus', 'SourceError');
    return handle;
  },
};

function expectReport(report: RunReport, holds: (report: RunReport) => boolean, what: string): void {
  if (!holds(report)) throw new Error(`expected the run to end ${what}, it reported: ${report.publishReason}`);
}

function expectFailure(failure: { activityType?: string; type?: string }, activityType: string, type: string): void {
  if (failure.activityType !== activityType || failure.type !== type) {
    throw new Error(
      `expected ${type} in ${activityType}, the run failed with ${failure.type} in ${failure.activityType}`,
    );
  }
}

/**
 * The history as pretty JSON in the format of `temporal workflow show --output json`,
 * without stack traces: replay never reads them, and they hold this machine's paths.
 */
function historyFile(history: History): string {
  const withoutStackTraces = (key: string, value: unknown): unknown => (key === 'stackTrace' ? undefined : value);
  return `${JSON.stringify(historyToJson(history), withoutStackTraces, 2)}\n`;
}

/** Fails if any credential the worker had, or anything shaped like an AWS access key, is in the file. */
function checkNoSecrets(run: RecordedRun, file: string, secrets: string[]): void {
  // Payloads are base64 in the file: search them decoded, as the replayer reads them.
  const text = `${file}\n${eventsText(historyFromJson(JSON.parse(file)).events ?? [])}`;
  const leaked = secrets.filter((secret) => text.includes(secret)).length;
  if (leaked > 0)
    throw new Error(`the history of ${run} holds ${leaked} of the credentials the worker had: not written`);
  if (/\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(text))
    throw new Error(`the history of ${run} holds an AWS access key ID: not written`);
}

async function main(): Promise<void> {
  // Errors only: the scenarios fail activities on purpose, and the script checks each outcome itself.
  installJsonLogging('error');
  const ambientSecrets = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'TEMPORAL_API_KEY',
  ].flatMap((name) => process.env[name] || []);
  const [temporalCli, minioPath] = await Promise.all([findOrBuildTemporalCli(log), findOrBuildMinio(log)]);
  const temporal = await startTemporalDevServer({
    executable: temporalCli,
    searchAttributes: runSearchAttributeDeclarations(),
    log,
  });
  const stops: Array<() => Promise<void>> = [() => temporal.stop()];
  try {
    const minio = await startMinioServer({ executable: minioPath, log });
    stops.unshift(() => minio.stop());
    await minio.createBucket(BUCKET);
    const registry = await startFaultyRegistry();
    stops.unshift(() => registry.close());

    // The worker's S3 client reads its endpoint and credentials from the environment, as in production.
    Object.assign(process.env, minioEnvironment(minio));
    const config = loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      SOURCE_ALLOWED_HOSTS: '127.0.0.1',
      WORKER_SHUTDOWN_GRACE_MS: '0',
    });
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    stops.unshift(() => nativeConnection.close());
    const worker = await createEtlWorker({
      config,
      connection: nativeConnection,
      workerOptions: { identity: IDENTITY },
    });
    const running = worker.run();
    stops.unshift(async () => {
      worker.shutdown();
      await running;
    });
    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace, identity: IDENTITY });

    let unrecorded = 0;
    const recording: Recording = {
      registry,
      start: (input, workflowId = `chargerEtl-before-${++unrecorded}`) =>
        client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
          taskQueue: TASK_QUEUE,
          workflowId,
          args: [input],
        }),
    };
    const secrets = [minio.accessKeyId, minio.secretAccessKey, ...ambientSecrets];
    const files = new Map<RecordedRun, string>();
    for (const run of RECORDED_RUNS) {
      log(`recording ${run}…`);
      const handle = await SCENARIOS[run](recording, recordedWorkflowId(run));
      const file = historyFile(await handle.fetchHistory());
      checkNoSecrets(run, file, secrets);
      files.set(run, file);
    }
    // Written only once every scenario has been recorded, so a failure leaves the old set whole.
    await mkdir(HISTORIES_DIR, { recursive: true });
    for (const [run, file] of files) {
      await writeFile(recordedHistoryPath(run), file);
      log(
        `wrote ${relative(process.cwd(), recordedHistoryPath(run))} (${(Buffer.byteLength(file) / 1024).toFixed(1)} KiB)`,
      );
    }
  } finally {
    for (const stop of stops) await stop().catch((error: unknown) => log(`stopping: ${String(error)}`));
  }
}

main().catch((error: unknown) => {
  log(`recording the histories failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
