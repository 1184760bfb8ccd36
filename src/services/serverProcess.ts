import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** Receives progress and diagnostic lines; the default drops them. */
export type Log = (line: string) => void;

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (missing or non-executable file). */
  spawnError?: Error;
}

const RECENT_LINES = 40;
const POLL_INTERVAL_MS = 200;

/**
 * A long-running child process (a Temporal or MinIO server) that we own:
 * its output is kept for error messages, it can be waited on until ready,
 * and it is killed if this Node process exits without stopping it.
 */
export class ServerProcess {
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly recent: string[] = [];
  private exit: ProcessExit | undefined;
  /** Output goes to the log only while the server is up: start-up and shutdown chatter is noise (and kept for errors). */
  private forwarding = false;
  private readonly killOnExit = (): void => {
    this.child.kill('SIGKILL');
  };

  constructor(
    readonly name: string,
    executable: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; log?: Log } = {},
  ) {
    this.child = spawn(executable, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.recent.push(line);
        if (this.recent.length > RECENT_LINES) this.recent.shift();
        if (this.forwarding) options.log?.(`[${name}] ${line}`);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('error', (spawnError) => {
        this.exit = { code: null, signal: null, spawnError };
        resolve(this.exit);
      });
      this.child.once('exit', (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
    void this.exited.then(() => process.off('exit', this.killOnExit));
    process.on('exit', this.killOnExit);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** The last lines the process wrote to stdout and stderr. */
  recentOutput(): string {
    return this.recent.join('\n');
  }

  /**
   * Polls `probe` until it returns true. Throws, after stopping the process,
   * when the process exits first or `timeoutMs` passes; the error carries the
   * process's last output lines, which usually say why.
   */
  async waitUntilReady(probe: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exit !== undefined) throw this.startupError(`exited before ${what}`);
      if (await probe().catch(() => false)) {
        this.forwarding = true;
        return;
      }
      await sleep(POLL_INTERVAL_MS);
    }
    await this.stop();
    throw this.startupError(`did not become ready (${what}) within ${Math.round(timeoutMs / 1000)} s`);
  }

  /** Asks the process to stop (SIGTERM), kills it (SIGKILL) if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.forwarding = false;
    if (this.exit !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process at once, as a crash would. */
  async kill(): Promise<void> {
    this.forwarding = false;
    if (this.exit !== undefined) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private startupError(what: string): Error {
    const exit = this.exit;
    const how =
      exit?.spawnError !== undefined
        ? ` (could not run it: ${exit.spawnError.message})`
        : exit !== undefined
          ? ` (${exit.signal !== null ? `signal ${exit.signal}` : `exit code ${exit.code}`})`
          : '';
    const output = this.recentOutput();
    return new Error(`${this.name} ${what}${how}${output ? `; its last output:\n${output}` : ''}`);
  }
}
