import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

/** GNU time: it reports the peak resident set size of the process it runs (from wait4's rusage). */
export const GNU_TIME = '/usr/bin/time';
const PEAK_RSS_LINE = /Maximum resident set size \(kbytes\): (\d+)/;
const USER_TIME_LINE = /User time \(seconds\): ([\d.]+)/;
const SYSTEM_TIME_LINE = /System time \(seconds\): ([\d.]+)/;

export interface ProcessMeasurement {
  /** Exit code 0. */
  ok: boolean;
  exitCode: number | null;
  /** Whole-process wall time, from spawn to exit. */
  seconds: number;
  /**
   * CPU time (user + system). On a shared machine, wall time well above CPU time
   * means the process waited for a core (or for I/O): a sign of noise.
   */
  cpuSeconds: number;
  /** Peak resident set size of the process, MB (10^6 bytes). */
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

/** Throws, saying how to install it, unless GNU time is at /usr/bin/time. */
export async function checkGnuTime(): Promise<void> {
  const missing = new Error(
    `peak RSS is measured with GNU time (${GNU_TIME} -v), which is not installed: on Debian or Ubuntu run \`apt-get install -y time\``,
  );
  try {
    await promisify(execFile)(GNU_TIME, ['-v', '-o', '/dev/null', 'true']);
  } catch {
    throw missing;
  }
}

/** Runs `command args` under GNU time, timing it from the outside. Output is kept (keep it small). */
export async function measureProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProcessMeasurement> {
  const directory = await mkdtemp(join(tmpdir(), 'uk-chargers-bench-'));
  const report = join(directory, 'time.txt');
  try {
    const started = performance.now();
    const child = spawn(GNU_TIME, ['-v', '-o', report, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    const seconds = (performance.now() - started) / 1000;
    const timeReport = await readFile(report, 'utf8');
    const reported = (line: RegExp): number => Number(line.exec(timeReport)?.[1] ?? NaN);
    return {
      ok: exitCode === 0,
      exitCode,
      seconds,
      cpuSeconds: reported(USER_TIME_LINE) + reported(SYSTEM_TIME_LINE),
      peakRssMb: (reported(PEAK_RSS_LINE) * 1024) / 1e6,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
