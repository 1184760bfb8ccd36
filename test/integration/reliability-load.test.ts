import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlobStore } from '../../src/storage/openBlobStore';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW } from '../../src/workflows/definitions';
import { buildWorker, type BuiltWorker } from '../support/builtWorker';
import { offlineCsv } from '../support/expectedCsv';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { readBytes } from '../support/generatedBody';
import { scaledPayload } from '../support/registryPayload';
import { createBucket, sharedMinio, sharedMinioS3Config, sharedTemporal } from '../support/services';
import {
  startWorkerProcess,
  stopWorkerProcesses,
  workerS3Environment,
  type WorkerProcess,
} from '../support/workerProcess';

/**
 * Issue 5, behaviour 9: one worker process, as `npm run build` makes it, with
 * its default settings, twenty runs at once to distinct prefixes. Every run must
 * publish the right CSV, and the worker's peak resident memory stays under 500 MB:
 * payloads stream through, they are never held whole.
 */
const RUNS = 20;
const PAYLOAD = scaledPayload(5_000);
const RSS_LIMIT_BYTES = 500 * 1024 * 1024;

let registry: FaultyRegistry;
let worker: WorkerProcess;
let connection: Connection;
let client: Client;
let bucket: string;
let built: BuiltWorker;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: PAYLOAD, gzip: true, etag: '"load"' });
  bucket = await createBucket();
  // Measured as deployed: from source, webpack bundles the workflow code inside the worker
  // at start and leaves it well over 100 MB larger than the built worker with its prebuilt bundle.
  built = await buildWorker();
  worker = await startWorkerProcess({ env: workerS3Environment(sharedMinio()), entry: built.entry });
  connection = await Connection.connect({ address: sharedTemporal().address });
  client = new Client({ connection, namespace: sharedTemporal().namespace });
});

afterAll(async () => {
  await stopWorkerProcesses();
  await built?.remove();
  await connection?.close();
  await registry?.close();
});

describe('behaviour 9: load', () => {
  it(`${RUNS} concurrent runs to distinct prefixes on one worker all publish correctly, in bounded memory`, async ({
    annotate,
  }) => {
    const expected = await offlineCsv(PAYLOAD);
    // Start-up (bundling the workflow code from source) has a peak of its own; measure the load's.
    const startupPeakRss = await worker.peakRssBytes();
    const idleRss = await worker.rssBytes();
    await worker.resetPeakRss();
    const started = Date.now();
    const handles = await Promise.all(
      Array.from({ length: RUNS }, (_, index) =>
        client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
          taskQueue: worker.taskQueue,
          workflowId: `load-${index}-${randomBytes(4).toString('hex')}`,
          args: [{ sourceUrl: registry.url('/ncr.json'), destination: `s3://${bucket}/load-${index}/` }],
        }),
      ),
    );
    const reports = await Promise.all(handles.map((handle) => handle.result()));
    const peakRss = await worker.peakRssBytes();
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    // Kept with the test's result (vitest's reporters and UI), not printed into a green run.
    const summary =
      `load: ${RUNS} runs of a ${mb(PAYLOAD.length)} payload in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `worker peak RSS under load ${mb(peakRss)} (limit ${mb(RSS_LIMIT_BYTES)}; idle ${mb(idleRss)}, start-up peak ${mb(startupPeakRss)})`;
    await annotate(summary);

    for (const [index, report] of reports.entries()) {
      expect(report).toMatchObject({
        published: true,
        rawBytes: PAYLOAD.length,
        destination: `s3://${bucket}/load-${index}/`,
      });
      const store = openBlobStore(report.destination, { s3ClientConfig: sharedMinioS3Config() });
      expect((await readBytes(await store.get('charger_models_UK.csv'))).equals(expected), `run ${index}`).toBe(true);
      const staged: string[] = [];
      for await (const object of store.list('_staging/')) staged.push(object.key);
      expect(staged).toEqual([]);
    }
    expect(peakRss, summary).toBeLessThan(RSS_LIMIT_BYTES);
  });
});
