import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { sharedTemporal } from './services';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `uk-chargers` CLI from source as a child process against the
 * suite's Temporal dev server, configured only through its environment, as an
 * operator's shell would. Never throws for a non-zero exit: tests assert it.
 */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliResult> {
  const { address, namespace } = sharedTemporal();
  return runOfflineCli(
    args,
    {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_UI_URL: 'http://ui.test',
      ...env,
    },
    timeoutMs,
  );
}

/** Runs the CLI from source as a child process without a Temporal server (commands such as `transform`). */
export function runOfflineCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      TSX,
      [join(ROOT, 'src', 'client.ts'), ...args],
      {
        cwd: ROOT,
        timeout: timeoutMs,
        env: {
          ...process.env,
          // The developer's own Temporal profile must not leak in.
          TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`uk-chargers ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI and parses its stdout as JSON; fails with the CLI's own output when it exits non-zero. */
export async function runCliJson<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const result = await runCli(args, env);
  if (result.code !== 0)
    throw new Error(`uk-chargers ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout) as T;
}
