import { Client, Connection, ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { loadConfig, type AppConfig } from '../config';
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

/**
 * Runs one command against Temporal: validates the configuration, connects,
 * closes the connection afterwards, and turns "no such workflow or schedule"
 * into one line that says where it looked.
 */
export async function withClient<T>(use: (client: Client, config: AppConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const client = await connectClient(config);
  const { namespace } = config.temporal;
  try {
    return await use(client, config);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new CliError(
        `no workflow ${error.workflowId} in namespace ${namespace} (uk-chargers list shows recent runs)`,
      );
    }
    if (error instanceof ScheduleNotFoundError) {
      throw new CliError(
        `no schedule ${error.scheduleId} in namespace ${namespace} (uk-chargers schedule list shows them)`,
      );
    }
    throw error;
  } finally {
    await client.connection.close();
  }
}
