import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig, redactedConfig } from './config';
import { createEtlWorker } from './etlWorker';
import { installJsonLogging } from './logging';

/**
 * Worker entry point: connects with Temporal's envconfig conventions, serves the
 * `chargerEtl` task queue, and drains on SIGINT/SIGTERM (the SDK's default
 * shutdown signals) before exiting.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  installJsonLogging(config.logLevel);
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await createEtlWorker({ config, connection });
    Runtime.instance().logger.info('worker started', { config: redactedConfig(config) });
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(`uk-chargers worker: ${error instanceof Error ? error.message : String(error)}`);
  if (process.argv.includes('--verbose') && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
