import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, link, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Log } from './serverProcess';

/**
 * Pinned Go modules of the servers we run locally. Later Temporal CLI releases
 * carry a `replace` directive that `go install module@version` rejects.
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const MINIO_MODULE = 'github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c';

interface ServerBinary {
  /** Executable name, without the platform suffix. */
  name: string;
  /** Environment variable that names the executable explicitly. */
  pathVariable: string;
  module: string;
}

const TEMPORAL_CLI: ServerBinary = { name: 'temporal', pathVariable: 'TEMPORAL_CLI_PATH', module: TEMPORAL_CLI_MODULE };
const MINIO: ServerBinary = { name: 'minio', pathVariable: 'MINIO_PATH', module: MINIO_MODULE };

const EXE_SUFFIX = process.platform === 'win32' ? '.exe' : '';
const BUILD_HEARTBEAT_MS = 30_000;
const LOCK_POLL_MS = 2_000;
/** Longest wait for another process's build; a cold build takes several minutes on two cores. */
const LOCK_WAIT_MS = 45 * 60_000;
const ERROR_OUTPUT_LINES = 60;

const execFileAsync = promisify(execFile);

/**
 * The Temporal CLI: $TEMPORAL_CLI_PATH, then PATH, then Go's bin directory;
 * built there with `go install` when absent. Undefined when Go is not
 * installed, so callers can fall back to @temporalio/testing's download.
 */
export async function findOrBuildTemporalCli(log: Log = () => undefined): Promise<string | undefined> {
  return findOrBuild(TEMPORAL_CLI, log);
}

/** The MinIO server, found or built like the Temporal CLI; without Go, an Error saying what to install. */
export async function findOrBuildMinio(log: Log = () => undefined): Promise<string> {
  const path = await findOrBuild(MINIO, log);
  if (path !== undefined) return path;
  throw new Error(
    `MinIO server not found (looked at $${MINIO.pathVariable}, PATH and Go's bin directory) and Go is not installed to build it. ` +
      `Install Go 1.24 or later (https://go.dev/dl/) and it will be built on first use with \`go install ${MINIO.module}\`, ` +
      `or install a MinIO server binary and set ${MINIO.pathVariable} to its path.`,
  );
}

async function findOrBuild(binary: ServerBinary, log: Log): Promise<string | undefined> {
  const explicit = process.env[binary.pathVariable];
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new Error(`${binary.pathVariable}=${explicit} is not an executable file`);
  }
  const onPath = await findOnPath(binary.name + EXE_SUFFIX);
  if (onPath !== undefined) return onPath;

  const goBin = await goBinDirectory();
  if (goBin === undefined) return undefined;
  const built = join(goBin, binary.name + EXE_SUFFIX);
  if (await isExecutable(built)) return built;

  return withBuildLock(binary.name, log, async () => {
    // Another process may have finished the build while we waited for the lock.
    if (await isExecutable(built)) return built;
    await goInstall(binary, log);
    if (await isExecutable(built)) return built;
    throw new Error(`go install ${binary.module} succeeded but ${built} is not there; check GOBIN and GOPATH`);
  });
}

async function findOnPath(fileName: string): Promise<string | undefined> {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, fileName);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Where `go install` puts binaries ($GOBIN, else the first $GOPATH entry's bin), or undefined without Go. */
async function goBinDirectory(): Promise<string | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('go', ['env', 'GOBIN', 'GOPATH']));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`\`go env GOBIN GOPATH\` failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const [goBin = '', goPath = ''] = stdout.split(/\r?\n/);
  if (goBin.trim() !== '') return goBin.trim();
  const firstGoPath = goPath.split(delimiter)[0]?.trim() ?? '';
  if (firstGoPath === '') throw new Error('`go env GOPATH` is empty; set GOPATH or GOBIN');
  return join(firstGoPath, 'bin');
}

/** Runs `go install`, streaming its output to `log`; a failure carries go's own output verbatim. */
async function goInstall(binary: ServerBinary, log: Log): Promise<void> {
  const started = Date.now();
  const elapsed = (): string => `${Math.round((Date.now() - started) / 1000)} s`;
  log(`${binary.name} not found; building it with \`go install ${binary.module}\` (several minutes the first time)`);
  const child = spawn('go', ['install', binary.module], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      log(`[go install ${binary.name}] ${line}`);
    });
  }
  // go prints nothing while it compiles; say that it is still working.
  const heartbeat = setInterval(() => log(`still building ${binary.name} (${elapsed()} so far)`), BUILD_HEARTBEAT_MS);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (exitCode !== 0) {
      const tail = output.slice(-ERROR_OUTPUT_LINES).join('\n');
      throw new Error(`\`go install ${binary.module}\` failed with exit code ${exitCode}:\n${tail}`);
    }
  } finally {
    clearInterval(heartbeat);
  }
  log(`built ${binary.name} in ${elapsed()}`);
}

/**
 * Runs `build` while holding a lock file in the OS temp directory, so parallel
 * test workers or scripts never run two `go install`s of the same binary.
 * A lock left by a process that no longer exists is taken over.
 */
async function withBuildLock<T>(name: string, log: Log, build: () => Promise<T>): Promise<T> {
  const lockPath = join(tmpdir(), `uk-chargers-go-install-${name}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  let reportedWait = false;
  for (;;) {
    if (await createLockFile(lockPath)) break;
    const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
    if (!isProcessAlive(holder)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for process ${holder} to build ${name} (lock ${lockPath})`);
    if (!reportedWait) log(`waiting for process ${holder}, which is building ${name}`);
    reportedWait = true;
    await sleep(LOCK_POLL_MS);
  }
  try {
    return await build();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** Creates `lockPath` holding our pid, atomically (hard link of a complete file); false if it exists. */
async function createLockFile(lockPath: string): Promise<boolean> {
  const draft = `${lockPath}.${process.pid}`;
  await writeFile(draft, String(process.pid));
  try {
    await link(draft, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
