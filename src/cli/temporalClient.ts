import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../config';
import { CliError } from './cliError';

/** Connects a client with the envconfig settings; an unreachable server is one clear line. */
export async function connectClient(config: AppConfig): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect(config.temporal.connect.connectionOptions);
  } catch (error) {
    throw new CliError(
      `cannot connect to Temporal at ${config.temporal.address} (namespace ${config.temporal.namespace}): ` +
        `${error instanceof Error ? error.message : String(error)}; set TEMPORAL_ADDRESS or start one with 'npm run dev:services'`,
    );
  }
  return new Client({ connection, namespace: config.temporal.namespace });
}
