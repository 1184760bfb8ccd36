import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

/** What the worker process used, read from the kernel just before it was stopped. */
export interface WorkerUsage {
  /** VmHWM: the peak resident set size of its whole life, MB (10^6 bytes). */
  peakRssMb: number;
  /** User + system CPU time of its whole life. */
  cpuSeconds: number;
}

export interface WorkerProcess {
  pid: number;
  /** Its resident set size now (VmRSS), MB. */
  rssMb(): Promise<number>;
  /** Reads its usage, then stops it with SIGTERM (SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<WorkerUsage>;
}

const RECENT_LINES = 30;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts the built worker (`node dist/worker.js`) as its own process, configured
 * through `env` as a deployed one is, so its memory and CPU are its own. Its log
 * lines go to `log`. Rejects if it exits before stop() is called; its last lines
 * say why.
 */
export function startWorkerProcess(
  env: NodeJS.ProcessEnv,
  nodeArgs: readonly string[],
  log: (line: string) => void,
): WorkerProcess {
  const child = spawn(process.execPath, [...nodeArgs, 'dist/worker.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
      log(`worker: ${line}`);
    });
  }
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  void exited.then((code) => {
    if (!stopping) log(`worker exited on its own (code ${code}); its last lines:\n${recent.join('\n')}`);
  });
  if (child.pid === undefined) throw new Error('the worker process could not be started');
  const pid = child.pid;
  return {
    pid,
    rssMb: async () => memoryLine(await readFile(`/proc/${pid}/status`, 'utf8'), 'VmRSS'),
    async stop() {
      const usage = await usageOf(pid);
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      return usage;
    },
  };
}

let clockTicks: Promise<number> | undefined;

async function usageOf(pid: number): Promise<WorkerUsage> {
  clockTicks ??= promisify(execFile)('getconf', ['CLK_TCK']).then(({ stdout }) => Number(stdout.trim()));
  const [status, stat, ticks] = await Promise.all([
    readFile(`/proc/${pid}/status`, 'utf8'),
    readFile(`/proc/${pid}/stat`, 'utf8'),
    clockTicks,
  ]);
  // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  return { peakRssMb: memoryLine(status, 'VmHWM'), cpuSeconds: cpuTicks / ticks };
}

/** A memory line of /proc/<pid>/status (in kB there), MB. */
function memoryLine(status: string, name: 'VmRSS' | 'VmHWM'): number {
  const kb = Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
  return (kb * 1024) / 1e6;
}
