import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import {
  type NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
  type WorkflowBundlePath,
} from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { createChargePointsActivities, type ChargePointsActivityDeps } from './activities/chargePoints';
import { productionChargePointsDeps } from './activities/chargePoints/productionDeps';
import { productionActivityDeps } from './activities/productionDeps';
import type { AppConfig } from './config';
import { createRunVisibilityActivities } from './visibility/runVisibilityActivity';
import { decideSearchAttributes, runSearchAttributeProblems } from './visibility/searchAttributeCheck';
import { deviceModule } from './transform/ncrDeviceFastPath';

/** `npm run build` writes this pre-bundled workflow code; without it the worker bundles from source at start. */
const PREBUILT_BUNDLE = join(__dirname, 'workflow-bundle.js');

/** How often at most an activity's heartbeat details reach the server. */
const HEARTBEAT_THROTTLE = '2 seconds';

export interface EtlWorkerOptions {
  config: AppConfig;
  connection: NativeConnection;
  /** Overrides for tests and the demo (e.g. a different task queue or concurrency). */
  workerOptions?: Partial<WorkerOptions>;
  /** The activities' dependencies; by default the real source and stores of `config`. */
  activityDeps?: ActivityDeps;
  /** The charge-points activities' dependencies; by default the real feeds and stores of `config`. */
  chargePointsDeps?: ChargePointsActivityDeps;
}

/**
 * The workflow code the worker runs: the pre-built bundle when there is one,
 * else the source, bundled at start. The replay test (test/unit/workflow-replay.test.ts)
 * replays recorded histories against exactly this.
 */
export function etlWorkflowCode(): { workflowBundle: WorkflowBundlePath } | { workflowsPath: string } {
  if (existsSync(PREBUILT_BUNDLE)) return { workflowBundle: { codePath: PREBUILT_BUNDLE } };
  // index.ts when run from source (tsx, vitest), index.js when built.
  return { workflowsPath: join(__dirname, 'workflows', `index${extname(__filename)}`) };
}

/** Builds the worker that serves every workflow (chargerEtl, chargePointsEtl, feedEtl) and their activities, wired to the real sources and stores. */
export async function createEtlWorker({
  config,
  connection,
  workerOptions,
  activityDeps,
  chargePointsDeps,
}: EtlWorkerOptions): Promise<Worker> {
  const logger = Runtime.instance().logger;
  // The transform's WebAssembly: a deployment without it fails here, at start-up, rather than in every transform.
  deviceModule();
  const { namespace } = config.temporal;
  const searchAttributes = await decideSearchAttributes(config.worker.searchAttributes, namespace, () =>
    runSearchAttributeProblems(connection, namespace),
  );
  if (searchAttributes.enabled) logger.info('runs write search attributes', { reason: searchAttributes.reason });
  else logger.warn('runs write no search attributes', { reason: searchAttributes.reason });

  const activities = {
    ...createActivities(activityDeps ?? productionActivityDeps(config)),
    ...createChargePointsActivities(chargePointsDeps ?? productionChargePointsDeps(config)),
    ...createRunVisibilityActivities({
      defaultSourceUrl: config.sourceUrl,
      searchAttributes: searchAttributes.enabled,
    }),
  };
  const workflows = etlWorkflowCode();
  logger.info('workflow code', {
    from: 'workflowBundle' in workflows ? workflows.workflowBundle.codePath : 'source, bundled at start',
  });
  return Worker.create({
    connection,
    namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflows,
    activities,
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    // Stopping (SIGTERM/SIGINT, or shutdown()) stops polling, then lets running activities finish this long.
    shutdownGraceTime: config.worker.shutdownGraceMs,
    // Heartbeat details are the live counters `status`, `run` and the Web UI show: at most this old.
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
    defaultHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
    ...workerOptions,
  });
}
