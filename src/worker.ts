import { NativeConnection } from '@temporalio/worker';
import { loadConfig, redactedConfig } from './config';
import { createEtlWorker } from './etlWorker';

/**
 * Worker entry point: connects with Temporal's envconfig conventions, serves the
 * `chargerEtl` task queue, and drains on SIGINT/SIGTERM (the SDK's default
 * shutdown signals) before exiting.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await createEtlWorker({ config, connection });
    console.log(JSON.stringify({ msg: 'worker started', config: redactedConfig(config) }));
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
