import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/services/freePort';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW } from '../../src/workflows/definitions';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { scaledPayload } from '../support/registryPayload';
import { createBucket, sharedMinio, sharedTemporal } from '../support/services';
import { startWorkerProcess, stopWorkerProcesses, workerS3Environment } from '../support/workerProcess';
import { fetchingBytes } from '../support/runInspection';

let registry: FaultyRegistry;
let client: Client;
let destination: string;
let takeover: EtlHarness | undefined;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  destination = `s3://${await createBucket()}/drain/`;
  const connection = await Connection.connect({ address: sharedTemporal().address });
  client = new Client({ connection, namespace: sharedTemporal().namespace });
});

afterAll(async () => {
  await stopWorkerProcesses();
  await takeover?.stop();
  await client?.connection.close();
  await registry?.close();
});

describe('the worker process (src/worker.ts) in production trim', () => {
  it('refuses to start on invalid settings, listing every problem', async () => {
    const error = await startWorkerProcess({
      env: { WORKER_SHUTDOWN_GRACE_MS: 'soon', METRICS_PROMETHEUS_ADDRESS: 'nowhere', SEARCH_ATTRIBUTES: 'maybe' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    const output = (error as Error).message;
    expect(output).toContain('exited with 1 before it started');
    expect(output).toContain('uk-chargers worker: invalid configuration:');
    for (const name of ['WORKER_SHUTDOWN_GRACE_MS', 'METRICS_PROMETHEUS_ADDRESS', 'SEARCH_ATTRIBUTES'])
      expect(output).toContain(`  - ${name}`);
  });

  it('serves Prometheus metrics, and on SIGTERM lets the running download finish before it exits', async () => {
    // About 20 s of download, paced, so SIGTERM arrives mid-fetch however busy the machine (well inside the 60 s grace).
    const payload = scaledPayload(4_000);
    registry.serve('/ncr.json', { body: payload, bytesPerSecond: Math.round(payload.length / 20) });
    const metricsPort = await freePort();
    const worker = await startWorkerProcess({
      env: {
        ...workerS3Environment(sharedMinio()),
        SOURCE_URL: registry.url('/ncr.json'),
        DESTINATION: destination,
        METRICS_PROMETHEUS_ADDRESS: `127.0.0.1:${metricsPort}`,
        WORKER_SHUTDOWN_GRACE_MS: '60000',
      },
    });

    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    const exposition = await metrics.text();
    expect(exposition).toMatch(new RegExp(`^temporal_\\w+\\{[^}]*task_queue="${worker.taskQueue}"[^}]*\\} \\d+`, 'm'));

    const handle = await client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
      taskQueue: worker.taskQueue,
      workflowId: `drain-${worker.taskQueue}`,
      args: [{}],
    });
    await fetchingBytes(handle, 'the run got into its download');

    const signalledAt = Date.now();
    await worker.kill('SIGTERM');
    const output = worker.output();
    expect(output).toContain(
      '"msg":"shutting down: polling stopped, draining in-flight activities","signal":"SIGTERM","graceMs":60000',
    );
    expect(output).toContain('"state":"DRAINED"');
    expect(output).toContain('"msg":"worker stopped"');

    // The download was not cut short: fetchData completed on its first attempt, after the signal.
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.find(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchData',
    );
    const completed = events.find(
      (event) =>
        event.activityTaskCompletedEventAttributes &&
        Number(event.activityTaskCompletedEventAttributes.scheduledEventId) === Number(scheduled?.eventId),
    );
    expect(completed, 'fetchData completed').toBeDefined();
    const started = events.find(
      (event) => Number(event.activityTaskStartedEventAttributes?.scheduledEventId) === Number(scheduled?.eventId),
    );
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    const completedAt =
      Number(completed!.eventTime!.seconds) * 1000 + Math.floor((completed!.eventTime!.nanos ?? 0) / 1e6);
    expect(completedAt).toBeGreaterThan(signalledAt);

    // Another worker on the queue carries the run on from there.
    takeover = await startEtlHarness({
      TEMPORAL_TASK_QUEUE: worker.taskQueue,
      SOURCE_URL: registry.url('/ncr.json'),
      DESTINATION: destination,
    });
    const report = await handle.result();
    expect(report).toMatchObject({ published: true, rawBytes: payload.length, stats: { devicesSeen: 4_000 } });
  });
});
