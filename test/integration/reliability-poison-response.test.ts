import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW } from '../../src/workflows/definitions';
import { runCli } from '../support/cliProcess';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { samplePayload } from '../support/registryPayload';
import { activityAttempts, failureOf } from '../support/runInspection';
import { createBucket, sharedMinio, sharedTemporal } from '../support/services';
import {
  startWorkerProcess,
  stopWorkerProcesses,
  workerS3Environment,
  type WorkerProcess,
} from '../support/workerProcess';

/**
 * Issue 8, point 1: a registry answering `200 application/json` with a JSON array made
 * the transform destroy its CSV stream before the store listened to it, and the
 * unhandled 'error' event killed the worker process. The worker runs in a process of
 * its own here, so a crash would show as a changed or missing process, a heartbeat
 * timeout and a second transform attempt, not as a failed assertion in this process.
 */
let registry: FaultyRegistry;
let worker: WorkerProcess;
let connection: Connection;
let client: Client;
let bucket: string;
let scratch: string;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/array.json', { body: '[1,2,3]', contentType: 'application/json' });
  registry.serve('/ncr.json', { body: samplePayload() });
  bucket = await createBucket();
  scratch = await mkdtemp(join(tmpdir(), 'poison-'));
  worker = await startWorkerProcess({ env: workerS3Environment(sharedMinio()) });
  connection = await Connection.connect({ address: sharedTemporal().address });
  client = new Client({ connection, namespace: sharedTemporal().namespace });
});

afterAll(async () => {
  await stopWorkerProcesses();
  await connection?.close();
  await registry?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function start(sourceUrl: string, destination: string) {
  return client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
    taskQueue: worker.taskQueue,
    workflowId: `poison-${randomBytes(4).toString('hex')}`,
    args: [{ sourceUrl, destination }],
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('poison response', () => {
  const destinations = {
    'a local directory': () => pathToFileURL(join(scratch, randomBytes(4).toString('hex'))).href,
    MinIO: () => `s3://${bucket}/${randomBytes(4).toString('hex')}/`,
  };

  for (const [name, destination] of Object.entries(destinations)) {
    it(`a JSON array served as application/json fails the run non-retryably on its first transform attempt, and the worker keeps running (${name})`, async () => {
      const url = registry.url('/array.json');
      const handle = await start(url, destination());
      const failure = await failureOf(handle);

      expect(failure).toMatchObject({ activityType: 'transform', type: 'PayloadError', nonRetryable: true });
      expect(failure.message).toBe(
        `not a registry payload: the document is an array, expected an object; the registry at ${url} sent Content-Type application/json, starting: [1,2,3]`,
      );
      // A crashed worker would have cost a 30 s heartbeat timeout and a retry on a worker that is not there.
      expect(await activityAttempts(client, handle.workflowId)).toEqual({
        checkStatus: [1],
        fetchData: [1],
        transform: [1],
      });
      expect(isAlive(worker.pid)).toBe(true);
      expect(worker.output()).not.toContain("Unhandled 'error' event");

      // The same worker process still does its work.
      const report = await (await start(registry.url('/ncr.json'), destination())).result();
      expect(report).toMatchObject({ published: true, stats: { devicesKept: 3 } });
      expect(isAlive(worker.pid)).toBe(true);
    });
  }

  it('the transform command prints one line for a JSON array and exits 1, leaving no output file', async () => {
    const input = join(scratch, 'array.json');
    const outputDir = await mkdtemp(join(scratch, 'out-'));
    await writeFile(input, '[1,2,3]');

    const result = await runCli(['transform', '--input', input, '--output', join(outputDir, 'charger_models_UK.csv')]);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `uk-chargers: transform of ${input} failed: not a registry payload: the document is an array, expected an object\n`,
    });
    expect(await readdir(outputDir)).toEqual([]);
  });
});
