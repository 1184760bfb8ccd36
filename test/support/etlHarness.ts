import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities';
import type { ChargePointsActivityDeps } from '../../src/activities/chargePoints';
import { loadConfig, type AppConfig } from '../../src/config';
import type { ChargePointsEtlInput } from '../../src/domain/chargePointsRun';
import type { ChargerEtlInput } from '../../src/domain/runReport';
import { createEtlWorker } from '../../src/etlWorker';
import { minioEnvironment } from '../../src/services/minioServer';
import type { chargePointsEtl, chargerEtl } from '../../src/workflows';
import { CHARGE_POINTS_ETL_WORKFLOW, CHARGER_ETL_WORKFLOW } from '../../src/workflows/definitions';
import { sharedMinio, sharedTemporal } from './services';

export interface EtlHarness {
  config: AppConfig;
  client: Client;
  worker: Worker;
  taskQueue: string;
  /** Starts chargerEtl on the harness's task queue. */
  start(input: ChargerEtlInput, workflowId?: string): Promise<WorkflowHandleWithFirstExecutionRunId<typeof chargerEtl>>;
  /** Starts chargePointsEtl on the harness's task queue. */
  startChargePoints(
    input: ChargePointsEtlInput,
    workflowId?: string,
  ): Promise<WorkflowHandleWithFirstExecutionRunId<typeof chargePointsEtl>>;
  stop(): Promise<void>;
}

/**
 * A real worker, in this test process, on the suite's Temporal dev server and
 * MinIO, configured through the environment exactly as a deployed worker is.
 * Its logs go to the test's captured logs (test/support/capturedLogs.ts).
 * Each harness has its own task queue so test files never take each other's work.
 */
export async function startEtlHarness(
  env: Record<string, string> = {},
  options: {
    activityDeps?: (config: AppConfig) => ActivityDeps;
    chargePointsDeps?: (config: AppConfig) => ChargePointsActivityDeps;
  } = {},
): Promise<EtlHarness> {
  const temporal = sharedTemporal();
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  // The S3 client reads its endpoint and credentials from the environment, as in production.
  Object.assign(process.env, minioEnvironment(sharedMinio()));
  const config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SOURCE_ALLOWED_HOSTS: '127.0.0.1',
    // stop() cancels in-flight activities at once rather than waiting the production grace time.
    WORKER_SHUTDOWN_GRACE_MS: '0',
    ...env,
  });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createEtlWorker({
    config,
    connection: nativeConnection,
    activityDeps: options.activityDeps?.(config),
    chargePointsDeps: options.chargePointsDeps?.(config),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  return {
    config,
    client,
    worker,
    taskQueue,
    start: (input, workflowId = `test-${randomBytes(6).toString('hex')}`) =>
      client.workflow.start<typeof chargerEtl>(CHARGER_ETL_WORKFLOW, { taskQueue, workflowId, args: [input] }),
    startChargePoints: (input, workflowId = `test-${randomBytes(6).toString('hex')}`) =>
      client.workflow.start<typeof chargePointsEtl>(CHARGE_POINTS_ETL_WORKFLOW, {
        taskQueue,
        workflowId,
        args: [input],
      }),
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}
