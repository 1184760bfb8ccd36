import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../src/activities';
import { etlWorkflowCode } from '../../src/etlWorker';
import { emptyStats } from '../../src/domain/stats';
import type { RunVisibilityActivities } from '../../src/visibility/runVisibilityActivity';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW, progressQuery } from '../../src/workflows/definitions';
import { sharedTemporal } from '../support/services';

/**
 * chargerEtl's decisions, each branch on stub activities: only the Temporal dev
 * server is involved (no MinIO, no registry), so each test takes about a second.
 * A stub's behaviour is chosen per run by the run's workflow ID.
 */
/** The activities chargerEtl calls. */
type Stubs = Pick<Activities, 'checkStatus' | 'fetchData' | 'transform' | 'upload'> & RunVisibilityActivities;
type Script = { [K in keyof Stubs]?: (...args: Parameters<Stubs[K]>) => ReturnType<Stubs[K]> };

const scripts = new Map<string, Script>();
const calls = new Map<string, string[]>();

const STATS = { ...emptyStats(), devicesSeen: 5, devicesKept: 3, rows: 3 };
const defaults: Required<Script> = {
  runVisibility: async () => ({ source: 'http://registry.test/ncr.json', searchAttributes: false }),
  checkStatus: async () => ({
    source: { url: 'http://registry.test/ncr.json', status: 200 },
    destination: 'file:/stub',
    durationMs: 1,
  }),
  fetchData: async () => ({
    notModified: false,
    rawKey: '_staging/raw.json',
    bytes: 100,
    sha256: 'a'.repeat(64),
    fetchedAt: '2026-12-01T00:00:00.000Z',
    durationMs: 1,
  }),
  transform: async () => ({
    csvKey: '_staging/out.csv',
    sha256: 'b'.repeat(64),
    bytes: 50,
    stats: STATS,
    durationMs: 1,
  }),
  upload: async () => ({
    historyCsvUri: 'file:/stub/history/x.csv',
    manifestUri: 'file:/stub/manifest.json',
    stableUri: 'file:/stub/charger_models_UK.csv',
    published: true,
    unchanged: false,
    reason: 'first publish',
    durationMs: 1,
  }),
};

function stub<K extends keyof Stubs>(name: K): Stubs[K] {
  return (async (...args: never[]) => {
    const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
    calls.set(workflowId, [...(calls.get(workflowId) ?? []), name]);
    const scripted = (scripts.get(workflowId)?.[name] ?? defaults[name]) as (...a: never[]) => unknown;
    return scripted(...args);
  }) as unknown as Stubs[K];
}

const fail = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

let worker: Worker;
let running: Promise<void>;
let client: Client;
let connection: Connection;
let nativeConnection: NativeConnection;
const taskQueue = `branches-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  const temporal = sharedTemporal();
  nativeConnection = await NativeConnection.connect({ address: temporal.address });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    ...etlWorkflowCode(),
    activities: {
      runVisibility: stub('runVisibility'),
      checkStatus: stub('checkStatus'),
      fetchData: stub('fetchData'),
      transform: stub('transform'),
      upload: stub('upload'),
    },
  });
  running = worker.run();
  connection = await Connection.connect({ address: temporal.address });
  client = new Client({ connection, namespace: temporal.namespace });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
});

async function run(script: Script, input: Parameters<typeof chargerEtl>[0] = {}) {
  const workflowId = `branch-${randomBytes(6).toString('hex')}`;
  scripts.set(workflowId, script);
  const handle = await client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
    taskQueue,
    workflowId,
    args: [input],
  });
  const outcome = await handle.result().then(
    (report) => ({ report, error: undefined }),
    (error: unknown) => ({ report: undefined, error }),
  );
  const progress = await handle.query(progressQuery);
  return { ...outcome, progress, calls: calls.get(workflowId) ?? [] };
}

/** The activity and failure type a failed run names. */
function failureOf(error: unknown): { activity?: string; type?: string; message?: string } {
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  if (cause instanceof ActivityFailure) {
    const inner = cause.cause as ApplicationFailure;
    return { activity: cause.activityType, type: inner.type ?? undefined, message: inner.message };
  }
  const failure = cause as ApplicationFailure;
  return { type: failure.type ?? undefined, message: failure.message };
}

describe('chargerEtl branches on stub activities', () => {
  it('runs the four stages in order and reports the upload outcome', async () => {
    const { report, progress, calls } = await run({});
    expect(calls).toEqual(['runVisibility', 'checkStatus', 'fetchData', 'transform', 'upload']);
    expect(report).toMatchObject({ published: true, unchanged: false, publishReason: 'first publish', stats: STATS });
    expect(progress).toMatchObject({ stage: 'done', fetchRounds: 1 });
  });

  it('ends after fetchData with unchanged when the source answers 304', async () => {
    const { report, progress, calls } = await run({
      fetchData: async () => ({
        notModified: true,
        durationMs: 1,
        published: {
          runId: 'earlier-run',
          rawBytes: 100,
          rawSha256: 'a'.repeat(64),
          stats: STATS,
          csv: { uri: 'file:/stub/history/earlier.csv', sha256: 'b'.repeat(64), bytes: 50 },
          manifestUri: 'file:/stub/manifest.json',
          stableUri: 'file:/stub/charger_models_UK.csv',
        },
      }),
    });
    expect(calls).toEqual(['runVisibility', 'checkStatus', 'fetchData']);
    expect(report).toMatchObject({ published: false, unchanged: true, stats: STATS });
    expect(report?.publishReason).toContain('run earlier-run has already published');
    expect(progress.stage).toBe('done');
  });

  it('fetches again when transform finds the payload truncated, then goes on', async () => {
    let transforms = 0;
    const { report, progress, calls } = await run({
      transform: async (input) => {
        transforms += 1;
        if (transforms === 1)
          throw ApplicationFailure.create({ type: 'TruncatedPayloadError', message: 'ends at byte 40' });
        return defaults.transform(input);
      },
    });
    expect(calls).toEqual([
      'runVisibility',
      'checkStatus',
      'fetchData',
      'transform',
      'fetchData',
      'transform',
      'upload',
    ]);
    expect(report?.published).toBe(true);
    expect(progress).toMatchObject({ stage: 'done', fetchRounds: 2 });
    expect(progress.lastFailure).toContain('payload truncated, fetching again: ends at byte 40');
  });

  it('gives up after three fetch rounds of a truncated payload', async () => {
    const { error, progress, calls } = await run({
      transform: async () => {
        throw ApplicationFailure.create({ type: 'TruncatedPayloadError', message: 'ends at byte 40' });
      },
    });
    expect(calls.filter((name) => name === 'fetchData')).toHaveLength(3);
    expect(calls.filter((name) => name === 'transform')).toHaveLength(3);
    expect(failureOf(error)).toMatchObject({ activity: 'transform', type: 'TruncatedPayloadError' });
    expect(progress).toMatchObject({ stage: 'failed', failedStage: 'transform', fetchRounds: 3 });
  });

  it.each([
    ['checkStatus', 'SourceError', 'registry returned 404 Not Found for http://registry.test/ncr.json'],
    ['fetchData', 'SourceError', 'registry at http://registry.test/ncr.json returned text/html, not JSON'],
    ['transform', 'PayloadError', 'not a registry payload: the document is an array'],
    ['upload', 'StorageError', 'put s3://bucket/charger_models_UK.csv failed: the bucket does not exist'],
  ] as const)('fails in %s, naming the stage, the failure type and the message', async (stage, type, message) => {
    const { error, progress, calls } = await run({
      [stage]: async () => {
        throw fail(type, message);
      },
    });
    expect(calls.at(-1)).toBe(stage);
    expect(failureOf(error)).toEqual({ activity: stage, type, message });
    expect(progress).toMatchObject({ stage: 'failed', failedStage: stage, lastFailure: message });
  });

  it('fails with PublishRefused in upload when the publish guard refuses', async () => {
    const message =
      'publish guard refused to replace file:/stub/charger_models_UK.csv: devicesKept fell from 600 to 360';
    const { error, progress } = await run({
      upload: async () => {
        throw fail('PublishRefused', message);
      },
    });
    expect(failureOf(error)).toEqual({ activity: 'upload', type: 'PublishRefused', message });
    expect(progress).toMatchObject({ stage: 'failed', failedStage: 'upload' });
  });

  it('refuses an input URL that carries credentials before any activity runs', async () => {
    const { error, calls } = await run({}, { sourceUrl: 'https://user:secret@registry.test/ncr.json' });
    const failure = failureOf(error);
    expect(failure.type).toBe('InvalidInput');
    expect(failure.message).not.toContain('secret');
    expect(calls).toEqual([]);
  });
});
