import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { productionActivityDeps } from '../src/activities/productionDeps';
import { loadConfig, type AppConfig } from '../src/config';
import type { RunReport } from '../src/domain/runReport';
import { runSearchAttributeDeclarations } from '../src/visibility/runMemo';
import { createEtlWorker } from '../src/etlWorker';
import { installJsonLogging } from '../src/logging';
import { findOrBuildMinio, findOrBuildTemporalCli } from '../src/services/binaries';
import { createMinioBucket, minioEnvironment, startMinioServer } from '../src/services/minioServer';
import { startTemporalDevServer } from '../src/services/temporalDevServer';
import type { chargerEtl } from '../src/workflows';
import { CHARGER_ETL_WORKFLOW } from '../src/workflows/definitions';
import type { EndToEndResult, EndToEndRun } from './benchResults';
import { serveFiles } from './fileServer';

/**
 * `tsx bench/endToEnd.ts <payload> <expected csv sha256> [runs]`: chargerEtl on a real
 * Temporal dev server and worker, from a local HTTP source into MinIO, against
 * the same four activity functions called directly in one process on the same
 * source and MinIO. Alternates the two, best of `runs` each, after one warm-up of
 * each on the small sample. Prints one JSON line (EndToEndResult); logs to stderr.
 */

const BUCKET = 'bench';
const SAMPLE = 'test/fixtures/ncr-public-sample.json';

const log = (line: string): void => {
  process.stderr.write(`[e2e] ${line}\n`);
};

async function main(payload: string, expectedSha256: string, runs: number): Promise<void> {
  installJsonLogging('warn');
  const [temporalCli, minioPath] = await Promise.all([findOrBuildTemporalCli(log), findOrBuildMinio(log)]);
  const temporal = await startTemporalDevServer({
    executable: temporalCli,
    searchAttributes: runSearchAttributeDeclarations(),
  });
  const minio = await startMinioServer({ executable: minioPath });
  const files = await serveFiles({ '/registry.json': payload, '/sample.json': SAMPLE });
  try {
    await createMinioBucket(minio, BUCKET);
    // The S3 client reads its endpoint and credentials from the environment, as a deployed worker does.
    Object.assign(process.env, minioEnvironment(minio));
    const config = loadConfig({
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: 'bench-e2e',
      SOURCE_URL: files.url('/registry.json'),
      SOURCE_ALLOWED_HOSTS: '127.0.0.1',
      DESTINATION: `s3://${BUCKET}/`,
      WORKER_SHUTDOWN_GRACE_MS: '0',
    });
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await createEtlWorker({ config, connection: nativeConnection });
    const running = worker.run();
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: temporal.namespace });
    const direct = createActivities(productionActivityDeps(config));
    try {
      const viaWorkflow = (sourceUrl: string, label: string): Promise<EndToEndRun> =>
        runWorkflow(client, config, { sourceUrl, destination: `s3://${BUCKET}/${label}/` });
      const viaDirectCalls = (sourceUrl: string, label: string): Promise<EndToEndRun> =>
        runDirect(direct, { sourceUrl, destination: `s3://${BUCKET}/${label}/` });

      log('warming up both on the sample');
      await viaWorkflow(files.url('/sample.json'), 'warmup-workflow');
      await viaDirectCalls(files.url('/sample.json'), 'warmup-direct');

      const result: EndToEndResult = { workflow: [], direct: [] };
      for (let round = 0; round < runs; round++) {
        // Alternate which goes first, so neither always runs on a warmer MinIO.
        const order = round % 2 === 0 ? (['workflow', 'direct'] as const) : (['direct', 'workflow'] as const);
        for (const arm of order) {
          const run =
            arm === 'workflow'
              ? await viaWorkflow(config.sourceUrl, `workflow-${round}`)
              : await viaDirectCalls(config.sourceUrl, `direct-${round}`);
          if (run.csvSha256 !== expectedSha256)
            throw new Error(`${arm} run ${round} published CSV sha256 ${run.csvSha256}, expected ${expectedSha256}`);
          log(`round ${round + 1}/${runs} ${arm}: ${run.seconds.toFixed(2)} s`);
          result[arm].push(run);
        }
      }
      console.log(JSON.stringify(result));
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    }
  } finally {
    await files.close();
    await Promise.allSettled([temporal.stop(), minio.stop()]);
  }
}

/** chargerEtl as an operator runs it: started through the client, executed by the real worker. */
async function runWorkflow(
  client: Client,
  config: AppConfig,
  input: { sourceUrl: string; destination: string },
): Promise<EndToEndRun> {
  const started = performance.now();
  const report: RunReport = await client.workflow.execute<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
    taskQueue: config.temporal.taskQueue,
    workflowId: `bench-${randomBytes(6).toString('hex')}`,
    args: [{ ...input, force: true }],
  });
  const seconds = (performance.now() - started) / 1000;
  const durations = report.durationsMs;
  return {
    seconds,
    csvSha256: report.csv.sha256,
    stagesMs: {
      checkStatus: durations.checkStatusMs,
      fetchData: durations.fetchDataMs,
      transform: durations.transformMs,
      upload: durations.uploadMs,
    },
  };
}

/** The four activities in sequence, as chargerEtl calls them, inside a mock activity context of one run. */
async function runDirect(
  activities: ReturnType<typeof createActivities>,
  input: { sourceUrl: string; destination: string },
): Promise<EndToEndRun> {
  const started = performance.now();
  const runStartedAt = new Date().toISOString();
  const environment = new MockActivityEnvironment({
    workflowExecution: {
      workflowId: `bench-direct-${randomBytes(6).toString('hex')}`,
      runId: randomBytes(16).toString('hex'),
    },
  });
  // MockActivityEnvironment.run does not infer the result type; this restores it.
  const run = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    environment.run<A, R, typeof activity>(activity, ...args);
  const status = await run(activities.checkStatus, input);
  const destination = status.destination;
  const fetched = await run(activities.fetchData, { sourceUrl: input.sourceUrl, destination, force: true });
  if (fetched.notModified) throw new Error('the bench source sends no validators, so it cannot answer 304');
  const transformed = await run(activities.transform, {
    destination,
    rawKey: fetched.rawKey,
    contentType: fetched.contentType,
  });
  const uploaded = await run(activities.upload, {
    destination,
    csvKey: transformed.csvKey,
    csvSha256: transformed.sha256,
    csvBytes: transformed.bytes,
    stats: transformed.stats,
    sourceUrl: status.source.url,
    raw: {
      bytes: fetched.bytes,
      sha256: fetched.sha256,
      fetchedAt: fetched.fetchedAt,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
    },
    runStartedAt,
    force: true,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!uploaded.published) throw new Error(`direct run did not publish: ${uploaded.reason}`);
  return {
    seconds,
    csvSha256: transformed.sha256,
    stagesMs: {
      checkStatus: status.durationMs,
      fetchData: fetched.durationMs,
      transform: transformed.durationMs,
      upload: uploaded.durationMs,
    },
  };
}

const [payload, expectedSha256, runs = '3'] = process.argv.slice(2);
main(payload, expectedSha256, Number(runs)).catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
