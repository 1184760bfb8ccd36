import { Runtime } from '@temporalio/worker';
import type { AppConfig } from './config';
import { jsonLogger } from './logging';

/**
 * Installs the process-wide Temporal runtime of the worker: JSON logs at the
 * configured level and, when METRICS_PROMETHEUS_ADDRESS is set, the runtime's
 * own metrics (task latencies, slots, polls, activity outcomes) served for
 * Prometheus at http://<address>/metrics. Must run before the first connection.
 */
export function installWorkerRuntime(config: Pick<AppConfig, 'logLevel' | 'worker'>): void {
  const bindAddress = config.worker.metricsPrometheusAddress;
  Runtime.install({
    logger: jsonLogger(config.logLevel),
    ...(bindAddress !== undefined && { telemetryOptions: { metrics: { prometheus: { bindAddress } } } }),
  });
}
