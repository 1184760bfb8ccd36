import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargerEtlInput, RunReport } from '../../src/domain/runReport';
import type { MinioServer } from '../../src/services/minioServer';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW } from '../../src/workflows/definitions';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { samplePayload } from '../support/registryPayload';
import { failureOf, historyEventTexts, historyText } from '../support/runInspection';
import { sharedTemporal, startOwnMinio, uniqueBucketName } from '../support/services';
import {
  startWorkerProcess,
  stopWorkerProcesses,
  workerS3Environment,
  type WorkerProcess,
} from '../support/workerProcess';

/**
 * Issue 5, behaviour 7: credentials never reach workflow inputs, results, history,
 * logs or error messages. Every credential the worker holds is a sentinel value
 * (MinIO runs with sentinel root credentials, so they are the real ones), the runs
 * take every path that builds a message, and the full history of each run and the
 * worker's debug logs are searched for them.
 */
const sentinel = (name: string) => `sentinel-${name}-${randomBytes(8).toString('hex')}`;
const SECRETS = {
  awsAccessKeyId: sentinel('akid'),
  awsSecretAccessKey: sentinel('aws-secret'),
  temporalApiKey: sentinel('temporal-key'),
  sourcePassword: sentinel('source-password'),
  sourceApiKey: sentinel('source-apikey'),
};
const SOURCE_USER = 'sentinel-user';

let registry: FaultyRegistry;
let minio: MinioServer;
let bucket: string;
let worker: WorkerProcess;
let connection: Connection;
let client: Client;
const runIds: string[] = [];

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: samplePayload() });
  minio = await startOwnMinio({
    credentials: { accessKeyId: SECRETS.awsAccessKeyId, secretAccessKey: SECRETS.awsSecretAccessKey },
  });
  bucket = uniqueBucketName('secrets');
  await minio.createBucket(bucket);
  const sourceUrl = new URL(registry.url('/ncr.json'));
  sourceUrl.username = SOURCE_USER;
  sourceUrl.password = SECRETS.sourcePassword;
  sourceUrl.search = `format=json&apikey=${SECRETS.sourceApiKey}`;
  worker = await startWorkerProcess({
    env: {
      ...workerS3Environment(minio),
      SOURCE_URL: sourceUrl.href,
      DESTINATION: `s3://${bucket}/secrets/`,
      TEMPORAL_API_KEY: SECRETS.temporalApiKey,
      // The dev server speaks plain gRPC; an API key would otherwise switch TLS on.
      TEMPORAL_TLS: 'false',
      LOG_LEVEL: 'debug',
    },
  });
  connection = await Connection.connect({ address: sharedTemporal().address });
  client = new Client({ connection, namespace: sharedTemporal().namespace });
});

afterAll(async () => {
  await stopWorkerProcesses();
  await connection?.close();
  await registry?.close();
  await minio?.stop();
});

async function start(input: ChargerEtlInput): Promise<WorkflowHandle<typeof chargerEtl>> {
  const handle = await client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
    taskQueue: worker.taskQueue,
    workflowId: `secrets-${randomBytes(6).toString('hex')}`,
    args: [input],
  });
  runIds.push(handle.workflowId);
  return handle;
}

function secretsIn(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

const REDACTED_SOURCE = () =>
  `http://REDACTED@127.0.0.1:${new URL(registry.origin).port}/ncr.json?format=json&apikey=REDACTED`;

describe('behaviour 7: secrets', () => {
  it('a successful run reports the source URL redacted', async () => {
    const report: RunReport = await (await start({})).result();
    expect(report.published).toBe(true);
    expect(report.sourceUrl).toBe(REDACTED_SOURCE());
  });

  it('failures name the source URL redacted, even when the registry echoes its credentials', async () => {
    registry.failNext('/ncr.json', [{ status: 404 }]);
    const notFound = await failureOf(await start({}));
    expect(notFound.message).toBe(`registry returned 404 Not Found for ${REDACTED_SOURCE()}`);

    const echo = `invalid key ${SECRETS.sourceApiKey} for ${SOURCE_USER}:${SECRETS.sourcePassword}`;
    registry.failNext('/ncr.json', [{}, { body: `<html><body>${echo}</body></html>`, contentType: 'text/html' }]);
    const html = await failureOf(await start({}));
    expect(html).toMatchObject({ type: 'SourceError', nonRetryable: true });
    expect(html.message).toContain('invalid key REDACTED for REDACTED:REDACTED');

    registry.failNext('/ncr.json', [{}, { body: JSON.stringify({ error: echo }), contentType: 'application/json' }]);
    const json = await failureOf(await start({}));
    expect(json).toMatchObject({ type: 'PayloadError', nonRetryable: true });
    expect(json.message).toContain('invalid key REDACTED for REDACTED:REDACTED');
  });

  it('storage failures carry no credentials', async () => {
    const failure = await failureOf(await start({ destination: `s3://${uniqueBucketName('missing')}/` }));
    expect(failure).toMatchObject({ type: 'StorageError', nonRetryable: true });
    expect(secretsIn(failure.message)).toEqual([]);
  });

  it('no credential appears anywhere in the history of any run, nor in the worker logs', async () => {
    expect(runIds.length).toBeGreaterThanOrEqual(5);
    for (const workflowId of runIds) {
      const text = await historyText(client, workflowId);
      expect(text.length).toBeGreaterThan(1_000);
      expect(secretsIn(text), workflowId).toEqual([]);
    }
    const logs = worker.output();
    // The logs are there (debug level, activity failures included), and clean.
    expect(logs).toContain('"msg":"worker started"');
    expect(logs).toContain('registry returned 404 Not Found');
    expect(secretsIn(logs)).toEqual([]);
  });

  it('a workflow input URL carrying credentials is refused non-retryably and used nowhere', async () => {
    const inputSecret = sentinel('input');
    for (const sourceUrl of [
      `http://intruder:${inputSecret}@127.0.0.1:${new URL(registry.origin).port}/ncr.json`,
      `${registry.url('/ncr.json')}?token=${inputSecret}`,
    ]) {
      const before = registry.requests.length;
      const handle = await start({ sourceUrl });
      const failure = await failureOf(handle);
      expect(failure).toMatchObject({ activityType: undefined, type: 'InvalidInput', nonRetryable: true });
      expect(failure.message).toContain('carries credentials');
      expect(failure.message).toContain('configure SOURCE_URL, with its credentials, on the worker');
      expect(failure.message).toContain('REDACTED');
      expect(failure.message).not.toContain(inputSecret);
      // Temporal stores the input as given, but nothing after it repeats it, and nothing ran.
      const events = await historyEventTexts(client, handle.workflowId);
      expect(events.filter((event) => event.text.includes(inputSecret)).map((event) => event.type)).toEqual([
        'workflowExecutionStarted',
      ]);
      expect(events.map((event) => event.type)).not.toContain('activityTaskScheduled');
      expect(events.map((event) => event.type)).not.toContain('markerRecorded');
      expect(registry.requests.length).toBe(before);
    }
    expect(worker.output()).not.toContain(inputSecret);
  });

  it('the run CLI refuses such a URL before starting anything', async () => {
    const inputSecret = sentinel('cli');
    const workflowId = `secrets-cli-${randomBytes(4).toString('hex')}`;
    const result = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/client.ts',
        'run',
        '--json',
        '--workflow-id',
        workflowId,
        '--source-url',
        `http://cli-user:${inputSecret}@127.0.0.1/ncr.json`,
      ],
      {
        cwd: join(__dirname, '..', '..'),
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TEMPORAL_ADDRESS: sharedTemporal().address,
          TEMPORAL_TASK_QUEUE: worker.taskQueue,
        },
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sourceUrl http://REDACTED@127.0.0.1/ncr.json carries credentials');
    expect(result.stderr).not.toContain(inputSecret);
    await expect(client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});
