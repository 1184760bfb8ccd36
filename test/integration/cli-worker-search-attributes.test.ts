import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunFacts } from '../../src/cli/runFacts';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/services/temporalDevServer';
import type { chargerEtl } from '../../src/workflows';
import { CHARGER_ETL_WORKFLOW } from '../../src/workflows/definitions';
import { runCli } from '../support/cliProcess';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { samplePayload } from '../support/registryPayload';
import { createBucket, sharedMinio } from '../support/services';
import { startWorkerProcess, stopWorkerProcesses, workerS3Environment } from '../support/workerProcess';

/**
 * A namespace without the UkChargers* search attributes, as on a cluster whose
 * operator has not registered them yet: its own dev server, started plain.
 */
let server: TemporalDevServer;
let client: Client;
let registry: FaultyRegistry;
let workerEnv: Record<string, string>;

beforeAll(async () => {
  server = await startTemporalDevServer({ executable: inject('serviceBinaries').temporalCli });
  const connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace: server.namespace });
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: samplePayload() });
  workerEnv = {
    ...workerS3Environment(sharedMinio()),
    TEMPORAL_ADDRESS: server.address,
    SOURCE_URL: registry.url('/ncr.json'),
    DESTINATION: `s3://${await createBucket()}/plain/`,
  };
});

afterAll(async () => {
  await stopWorkerProcesses();
  await client?.connection.close();
  await server?.stop();
  await registry?.close();
});

describe('a namespace without the run search attributes', () => {
  it('SEARCH_ATTRIBUTES=required: the worker refuses to start and says how to register them', async () => {
    const error = await startWorkerProcess({ env: { ...workerEnv, SEARCH_ATTRIBUTES: 'required' } }).catch(
      (caught: unknown) => caught,
    );
    const output = (error as Error).message;
    expect(output).toContain(
      '  - SEARCH_ATTRIBUTES=required: search attribute UkChargersSource is not registered on namespace default',
    );
    expect(output).toContain(
      '  - register them with: temporal operator search-attribute create --namespace default --name UkChargersSource --name UkChargersOutcome --type Keyword',
    );
  });

  it('SEARCH_ATTRIBUTES=auto: runs complete and write their memo only, which list and status read', async () => {
    const worker = await startWorkerProcess({ env: workerEnv });
    expect(worker.output()).toContain(
      '"msg":"runs write no search attributes","reason":"search attribute UkChargersSource is not registered on namespace default',
    );

    const workflowId = `plain-${worker.taskQueue}`;
    const handle = await client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, {
      taskQueue: worker.taskQueue,
      workflowId,
      args: [{}],
    });
    const report = await handle.result();
    expect(report).toMatchObject({ published: true, stats: { rows: 3 } });

    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((event) => event.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
    expect(events.filter((event) => event.workflowPropertiesModifiedEventAttributes)).toHaveLength(2);

    const env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: worker.taskQueue };
    const listed = await runCli(['list', '--json'], env);
    expect(JSON.parse(listed.stdout.trim().split('\n')[0]) as RunFacts).toMatchObject({
      workflowId,
      outcome: 'published',
      rows: 3,
      source: registry.url('/ncr.json'),
    });
    expect((await runCli(['status', workflowId], env)).stdout).toContain(
      `  outcome      published, 3 rows — ${report.publishReason}\n`,
    );
  });
});
