import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MinioCoordinates } from '../../src/services/minioServer';
import { minioEnvironment } from '../../src/services/minioServer';
import { captureStream } from './capturedLogs';
import { sharedTemporal } from './services';

const REPO_ROOT = join(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 120_000;

/** A worker (`src/worker.ts`) in a process of its own, as deployed: it can be killed like one. */
export interface WorkerProcess {
  readonly pid: number;
  readonly taskQueue: string;
  /** Everything it wrote to stdout and stderr so far (its JSON logs). */
  output(): string;
  /** Resident set size of the process now (VmRSS), in bytes. */
  rssBytes(): Promise<number>;
  /** Peak resident set size of the process (VmHWM) since it started or since resetPeakRss(), in bytes. */
  peakRssBytes(): Promise<number>;
  /** Starts measuring the peak afresh from the current RSS (Linux: `5` to /proc/<pid>/clear_refs). */
  resetPeakRss(): Promise<void>;
  /** Sends `signal` (default SIGKILL, as `kill -9`) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface WorkerProcessOptions {
  /** The worker's environment on top of the shared Temporal server's address and a unique task queue. */
  env: Record<string, string>;
  /** Defaults to a fresh one; pass another worker's to take over its work. */
  taskQueue?: string;
  /** A compiled worker (see buildWorker) instead of src/worker.ts run from source. */
  entry?: string;
}

const running = new Set<ChildProcess>();

/**
 * Starts `node --import tsx src/worker.ts` (one process, so its pid is the
 * worker's), or a built worker, and resolves once it logs "worker started". Only PATH and HOME are
 * inherited, so a test controls every setting. Call stopWorkerProcesses() in
 * afterAll; a worker is also killed if the test process exits first.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const temporal = sharedTemporal();
  const taskQueue = options.taskQueue ?? `test-${randomBytes(4).toString('hex')}`;
  const child = spawn(process.execPath, options.entry ? [options.entry] : ['--import', 'tsx', 'src/worker.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SOURCE_ALLOWED_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // Shown under a failing test, with the in-process logs.
  if (child.stdout) captureStream(`worker ${child.pid}`, child.stdout);
  if (child.stderr) captureStream(`worker ${child.pid}`, child.stderr);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = () => {
      if (!output.includes('"msg":"worker started"')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it started:\n${output}`));
    });
  });

  const pid = child.pid!;
  return {
    pid,
    taskQueue,
    output: () => output,
    rssBytes: () => memoryField(pid, 'VmRSS'),
    peakRssBytes: () => memoryField(pid, 'VmHWM'),
    resetPeakRss: () => writeFile(`/proc/${pid}/clear_refs`, '5'),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A memory figure of process `pid` from /proc/<pid>/status, in bytes. */
async function memoryField(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Kills every worker process this test file started and still runs. */
export async function stopWorkerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The AWS settings a worker process needs to reach `minio`, optionally through `endpoint` (a proxy). */
export function workerS3Environment(minio: MinioCoordinates, endpoint = minio.endpoint): Record<string, string> {
  return { ...minioEnvironment(minio), AWS_ENDPOINT_URL_S3: endpoint };
}
