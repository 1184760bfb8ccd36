import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/domain/manifest';
import type { RunReport } from '../../src/domain/runReport';
import type { BlobStore } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW, progressQuery } from '../../src/workflows/definitions';
import { offlineCsv } from '../support/expectedCsv';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { readBytes, readText } from '../support/generatedBody';
import { scaledPayload } from '../support/registryPayload';
import { activityAttempts, activityLastFailures, eventually, runningActivity } from '../support/runInspection';
import { startS3Proxy, type S3Proxy } from '../support/s3Proxy';
import { createBucket, sharedMinio, sharedMinioS3Config, sharedTemporal } from '../support/services';
import {
  startWorkerProcess,
  stopWorkerProcesses,
  workerS3Environment,
  type WorkerProcess,
} from '../support/workerProcess';

/**
 * Issue 5, behaviour 5: `kill -9` of the worker in the middle of an activity.
 * Temporal notices the missing heartbeats (30 s timeout) and retries the activity
 * on a new worker process, which finishes the same run. The download is paced by
 * the registry and the transform's read of the staged payload by an S3 proxy, so
 * each is still running when the worker dies; the proxy also holds the upload's
 * write of the stable CSV, so the worker dies between the two steps of publishing.
 */
const PAYLOAD = scaledPayload(2_000);
const BYTES_PER_SECOND = Math.ceil(PAYLOAD.length / 5);
/** Longer than the activities' 30 s heartbeat timeout, shorter than the default 60 s SOURCE_IDLE_TIMEOUT_MS. */
const QUIET_MS = 45_000;

let registry: FaultyRegistry;
let proxy: S3Proxy;
let bucket: string;
let client: Client;
let connection: Connection;
let taskQueue: string;
let workerEnv: Record<string, string>;
let undisturbed: Buffer;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: PAYLOAD, gzip: true });
  registry.serve('/paced.json', { body: PAYLOAD, bytesPerSecond: BYTES_PER_SECOND });
  proxy = await startS3Proxy(sharedMinio().endpoint);
  // The transform reads the staged payload (GET …/raw.json) in about five seconds.
  proxy.throttle = {
    matches: ({ method, path }) => method === 'GET' && path.endsWith('/raw.json'),
    bytesPerSecond: BYTES_PER_SECOND,
  };
  bucket = await createBucket();
  connection = await Connection.connect({ address: sharedTemporal().address });
  client = new Client({ connection, namespace: sharedTemporal().namespace });
  taskQueue = `crash-${randomBytes(4).toString('hex')}`;
  workerEnv = workerS3Environment(sharedMinio(), proxy.endpoint);

  // The reference: the same run on a worker nobody disturbs.
  const worker = await startWorkerProcess({ env: workerEnv, taskQueue });
  const report = await start('/ncr.json', 'undisturbed/').then((handle) => handle.result());
  undisturbed = await readBytes(await store('undisturbed/').get('charger_models_UK.csv'));
  expect(report.published).toBe(true);
  expect(undisturbed.equals(await offlineCsv(PAYLOAD))).toBe(true);
  await worker.kill('SIGTERM');
});

afterAll(async () => {
  await stopWorkerProcesses();
  await connection?.close();
  await proxy?.close();
  await registry?.close();
});

function store(prefix: string): BlobStore {
  return openBlobStore(`s3://${bucket}/${prefix}`, { s3ClientConfig: sharedMinioS3Config() });
}

function start(path: string, prefix: string): Promise<WorkflowHandle<typeof chargerEtl>> {
  return client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
    taskQueue,
    workflowId: `crash-${randomBytes(6).toString('hex')}`,
    args: [{ sourceUrl: registry.url(path), destination: `s3://${bucket}/${prefix}` }],
  });
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store(prefix).list('')) keys.push(object.key);
  return keys.sort();
}

/** Kills `worker` (the only one polling) once `running()` says the stage is under way, starts a new one, and returns the run's report. */
async function killDuring(
  handle: WorkflowHandle<typeof chargerEtl>,
  worker: WorkerProcess,
  running: () => Promise<boolean>,
  stage: string,
): Promise<RunReport> {
  await eventually(running, `${stage} is running`);
  await worker.kill('SIGKILL');
  const replacement = await startWorkerProcess({ env: workerEnv, taskQueue });
  const report = await handle.result();
  // The next test's worker must be the only one polling.
  await replacement.kill('SIGTERM');
  return report;
}

async function expectFinishedLikeUndisturbed(
  handle: WorkflowHandle<typeof chargerEtl>,
  prefix: string,
  report: RunReport,
  stage: string,
): Promise<void> {
  expect(report.published).toBe(true);
  expect((await readBytes(await store(prefix).get('charger_models_UK.csv'))).equals(undisturbed)).toBe(true);
  // The killed attempt was retried once its heartbeats stopped.
  const attempts = await activityAttempts(client, handle.workflowId);
  expect(attempts[stage]).toEqual([2]);
  expect((await activityLastFailures(client, handle.workflowId))[stage]).toEqual([expect.stringMatching(/heartbeat/i)]);
  // Staging is gone; only the published and history objects remain.
  expect(await keysUnder(`${prefix}_staging/`)).toEqual([]);
  const historyKey = report.csv.uri.slice(`s3://${bucket}/${prefix}`.length);
  expect(await keysUnder(prefix)).toEqual(
    [
      'charger_models_UK.csv',
      historyKey,
      historyKey.replace(/charger_models_UK\.csv$/, 'manifest.json'),
      'manifest.json',
    ].sort(),
  );
}

describe('behaviour 5: crash recovery', () => {
  it('kill -9 of the worker during fetchData: a new worker finishes the run with byte-identical output', async () => {
    const worker = await startWorkerProcess({ env: workerEnv, taskQueue });
    const handle = await start('/paced.json', 'crash-fetch/');
    const report = await killDuring(
      handle,
      worker,
      async () => {
        const running = await runningActivity(handle);
        return running?.activity === 'fetchData' && (running.progress?.bytesFetched ?? 0) > 0;
      },
      'fetchData',
    );
    await expectFinishedLikeUndisturbed(handle, 'crash-fetch/', report, 'fetchData');
  });

  it('kill -9 of the worker during transform: a new worker finishes the run with byte-identical output', async () => {
    const worker = await startWorkerProcess({ env: workerEnv, taskQueue });
    const handle = await start('/ncr.json', 'crash-transform/');
    const readingPayload = () =>
      proxy.requests.some(
        ({ method, path }) =>
          method === 'GET' && path.includes(`/crash-transform/_staging/`) && path.endsWith('/raw.json'),
      );
    const report = await killDuring(
      handle,
      worker,
      async () => readingPayload() && (await handle.query(progressQuery)).stage === 'transform',
      'transform',
    );
    await expectFinishedLikeUndisturbed(handle, 'crash-transform/', report, 'transform');
  });

  it('a live worker whose activity makes no progress for longer than the heartbeat timeout is not taken for dead: the first attempt finishes the run', async () => {
    const worker = await startWorkerProcess({ env: workerEnv, taskQueue });
    const path = `/quiet-${randomBytes(4).toString('hex')}.json`;
    registry.serve(path, { body: PAYLOAD });
    // The probe is answered at once; the download gets its headers, then no byte for QUIET_MS. (Not a
    // few bytes first: each would heartbeat, and the SDK sends the last of a burst up to 24 s later.)
    registry.failNext(path, [{}, { stallAfterBytes: 0, stallMs: QUIET_MS }]);
    const handle = await start(path, 'quiet/');
    const report = await handle.result();
    await worker.kill('SIGTERM');

    expect(report.published).toBe(true);
    expect((await readBytes(await store('quiet/').get('charger_models_UK.csv'))).equals(undisturbed)).toBe(true);
    // withHeartbeat's timer kept Temporal from retrying the download…
    expect(await activityAttempts(client, handle.workflowId)).toMatchObject({ fetchData: [1] });
    expect((await activityLastFailures(client, handle.workflowId)).fetchData).toBeUndefined();
    // …though it really was quiet for longer than the heartbeat timeout.
    expect(report.durationsMs.fetchDataMs).toBeGreaterThanOrEqual(QUIET_MS);
    expect(registry.requests.filter((request) => request.path === path).map((request) => request.method)).toEqual([
      'HEAD',
      'GET',
    ]);
  });

  it('kill -9 of the worker between claiming the stable manifest and writing the stable CSV: a new worker writes it', async () => {
    const worker = await startWorkerProcess({ env: workerEnv, taskQueue });
    const stableCsvPath = `/${bucket}/crash-publish/charger_models_UK.csv`;
    // The worker's first write of the stable CSV is held at the proxy and, once the worker is dead,
    // dropped without reaching MinIO: the worker dies between the two steps of publishing.
    let held = false;
    let drop!: (reason: Error) => void;
    const dropped = new Promise<void>((_resolve, reject) => (drop = reject));
    proxy.beforeForward = ({ method, path }) => {
      if (held || method !== 'PUT' || path !== stableCsvPath) return undefined;
      held = true;
      return dropped;
    };
    try {
      const handle = await start('/ncr.json', 'crash-publish/');
      await eventually(async () => held, 'the worker is writing the stable CSV');
      const manifest = JSON.parse(await readText(await store('crash-publish/').get('manifest.json'))) as Manifest;
      expect(manifest.runId).toBe((await handle.describe()).runId);
      expect(await store('crash-publish/').head('charger_models_UK.csv')).toBeUndefined();

      await worker.kill('SIGKILL');
      drop(new Error('the worker was killed'));
      const replacement = await startWorkerProcess({ env: workerEnv, taskQueue });
      const report = await handle.result();
      await replacement.kill('SIGTERM');
      await expectFinishedLikeUndisturbed(handle, 'crash-publish/', report, 'upload');
      expect(report.publishReason).toBe('claimed by an earlier attempt of this run');
    } finally {
      proxy.beforeForward = undefined;
    }
  });
});
