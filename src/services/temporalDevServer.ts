import { Connection } from '@temporalio/client';
import { findOrBuildTemporalCli } from './binaries';
import { choosePort, LOOPBACK } from './freePort';
import { ServerProcess, type Log } from './serverProcess';
import type * as TemporalTesting from '@temporalio/testing';

export interface TemporalDevServerOptions {
  /** Temporal CLI to run; found or built (see findOrBuildTemporalCli) when omitted. */
  executable?: string;
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Serve the Web UI (default false: headless). */
  ui?: boolean;
  /** Web UI port; a free one when omitted. */
  uiPort?: number;
  /** Use free ports instead when `port` or `uiPort` is taken, rather than failing. */
  fallbackToFreePorts?: boolean;
  /** Namespace created at start-up (default "default"). */
  namespace?: string;
  /** SQLite file that keeps workflow state across restarts; in memory when omitted. */
  dbFilename?: string;
  /** Custom search attributes registered on the namespace at start (`--search-attribute Name=Type`). */
  searchAttributes?: ReadonlyArray<{ name: string; type: SearchAttributeTypeName }>;
  log?: Log;
  startupTimeoutMs?: number;
}

export interface TemporalDevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  /** Base URL of the Web UI, when it is served. */
  uiUrl?: string;
  namespace: string;
  stop(): Promise<void>;
}

/** Search attribute types as `temporal server start-dev --search-attribute` spells them. */
export type SearchAttributeTypeName = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

/**
 * Starts `temporal server start-dev` on 127.0.0.1 and resolves once its
 * namespace answers. We run the CLI ourselves rather than through
 * @temporalio/testing because that hides the server's output: a server that
 * cannot start would fail without saying why. Only when there is no CLI and
 * no Go to build one do we let @temporalio/testing download a CLI and run it.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const log = options.log ?? (() => undefined);
  const namespace = options.namespace ?? 'default';
  const ui = options.ui ?? false;
  const fallback = options.fallbackToFreePorts ?? false;
  const port = await choosePort(options.port, 'the Temporal dev server (gRPC)', fallback);
  const uiPort = ui ? await choosePort(options.uiPort, 'the Temporal Web UI', fallback) : undefined;
  const uiUrl = uiPort === undefined ? undefined : `http://${LOOPBACK}:${uiPort}`;
  const executable = options.executable ?? (await findOrBuildTemporalCli(log));

  if (executable === undefined) {
    const { TestWorkflowEnvironment } = await importTemporalTesting();
    log('no Temporal CLI and no Go to build one: letting @temporalio/testing download the CLI');
    const environment = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: LOOPBACK,
        port,
        ui,
        uiPort,
        namespace,
        dbFilename: options.dbFilename,
        extraArgs: searchAttributeArgs(options),
      },
    });
    return { address: environment.address, uiUrl, namespace, stop: () => environment.teardown() };
  }

  const args = ['server', 'start-dev', '--ip', LOOPBACK, '--port', String(port)];
  // "default" always exists; others are created at start-up.
  if (namespace !== 'default') args.push('--namespace', namespace);
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (options.dbFilename !== undefined) args.push('--db-filename', options.dbFilename);
  args.push(...searchAttributeArgs(options));
  args.push('--log-level', 'warn');

  const address = `${LOOPBACK}:${port}`;
  const server = new ServerProcess('temporal', executable, args, { log });
  await server.waitUntilReady(
    () => namespaceAnswers(address, namespace),
    `namespace "${namespace}" answering on ${address}`,
    options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
  );
  return { address, uiUrl, namespace, stop: () => server.stop() };
}

/**
 * @temporalio/testing, loaded only for the download fallback. It is a development
 * dependency, so a production install (`npm ci --omit=dev`, the Docker image)
 * lacks it; there the demo needs a server or a CLI named instead.
 */
async function importTemporalTesting(): Promise<typeof TemporalTesting> {
  try {
    return await import('@temporalio/testing');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      "no Temporal CLI (looked at $TEMPORAL_CLI_PATH, PATH and Go's bin directory), no Go to build one, and " +
        '@temporalio/testing, which downloads one, is a development dependency that this install omits. ' +
        'Set TEMPORAL_ADDRESS to a running Temporal server or TEMPORAL_CLI_PATH to a Temporal CLI, ' +
        'or install the development dependencies (npm ci).',
      { cause: error },
    );
  }
}

function searchAttributeArgs({ searchAttributes = [] }: TemporalDevServerOptions): string[] {
  return searchAttributes.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]);
}

async function namespaceAnswers(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}
