import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig, redactedConfig } from './config';
import { ConfigError } from './domain/errors';
import { createEtlWorker } from './etlWorker';
import { installWorkerRuntime } from './workerRuntime';

/**
 * Worker entry point: connects with Temporal's envconfig conventions and serves
 * the `chargerEtl` task queue. On SIGINT or SIGTERM (the runtime's shutdown
 * signals) it stops polling, lets in-flight activities finish for up to
 * WORKER_SHUTDOWN_GRACE_MS, then exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  installWorkerRuntime(config);
  const logger = Runtime.instance().logger;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('shutting down: polling stopped, draining in-flight activities', {
        signal,
        graceMs: config.worker.shutdownGraceMs,
      });
    });
  }
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await createEtlWorker({ config, connection });
    logger.info('worker started', { config: redactedConfig(config) });
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(
      `uk-chargers worker: invalid configuration:\n${error.problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  } else {
    console.error(`uk-chargers worker: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (process.argv.includes('--verbose') && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
