import { readFile, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { TransformStats } from '../src/domain/stats';
import { measureProcess, type ProcessMeasurement } from './measureProcess';
import { warmPageCache, type BenchPayload } from './payloads';

export interface TimedRun {
  /** Whole-process wall time. */
  seconds: number;
  /** Whole-process CPU time (user + system). */
  cpuSeconds: number;
  peakRssMb: number;
}

export interface InProcessRun extends TimedRun {
  /** The transform's own time inside the process, without Node's and the modules' start-up. */
  transformSeconds: number;
  /** Per device from the first progress report (8 MiB in, V8 warmed up) to the CSV stored; absent for tiny payloads. */
  steadySecondsPerDevice?: number;
}

export type BaselineResult = { runs: TimedRun[] } | { cannotLoad: string };

export interface SizeResult {
  devices: number;
  bytes: number;
  rows: number;
  /** `node dist/client.js transform`, the command operators run. */
  cli: TimedRun[];
  /** bench/transformRunner.cjs: the same code path without the CLI's start-up, timed inside. */
  inProcess: InProcessRun[];
  /** bench/jsonParseBaseline.cjs: read the file and JSON.parse the whole document. */
  baseline: BaselineResult;
  /** Every transform output was compared byte for byte with each of these. */
  verifiedAgainst: { expectedAggregate: true; referenceTransform: true | { cannotLoad: string } };
  loadAverage: { before: number[]; after: number[] };
}

/** Heap for the reference transform: JSON.parse of a payload takes several times its size. */
const REFERENCE_HEAP_MB = 16_384;

/** What bench/transformRunner.cjs prints. */
interface RunnerReport {
  seconds: number;
  steady: { seconds: number; devices: number } | null;
  stats: TransformStats;
}

type Arm = 'cli' | 'inProcess' | 'baseline';

/**
 * Runs the transform (as the CLI and in-process) and the JSON.parse baseline on
 * one payload, `runs` rounds, rotating which goes first in each round. Verifies
 * every transform output against the generator's expected CSV and statistics,
 * and once against referenceTransform where it can load the payload; throws on any
 * difference, since timings of a wrong answer mean nothing.
 */
export async function benchmarkSize(
  payload: BenchPayload,
  runs: number,
  outputDir: string,
  log: (line: string) => void,
): Promise<SizeResult> {
  const { devices } = payload.summary.options;
  const expectedCsv = await readFile(payload.expectedCsvPath);
  const expectedStats = payload.summary.expected.stats;
  const output = join(outputDir, `transform-${devices}.csv`);
  const before = loadavg();
  await warmPageCache(payload.path);

  const result: SizeResult = {
    devices,
    bytes: payload.summary.bytes,
    rows: expectedStats.rows,
    cli: [],
    inProcess: [],
    baseline: { runs: [] },
    verifiedAgainst: { expectedAggregate: true, referenceTransform: { cannotLoad: 'not run' } },
    loadAverage: { before, after: [] },
  };
  const verify = async (what: string, stats: TransformStats): Promise<void> => {
    if (!isDeepStrictEqual(stats, expectedStats)) {
      throw new Error(
        `${what} at ${devices} devices reported ${JSON.stringify(stats)}, expected ${JSON.stringify(expectedStats)}`,
      );
    }
    if (!(await readFile(output)).equals(expectedCsv)) {
      throw new Error(
        `${what} at ${devices} devices wrote ${output}, which differs from the expected ${payload.expectedCsvPath}`,
      );
    }
  };

  const arms: Arm[] = ['cli', 'inProcess', 'baseline'];
  for (let round = 0; round < runs; round++) {
    const order = [...arms.slice(round % arms.length), ...arms.slice(0, round % arms.length)];
    for (const arm of order) {
      if (arm === 'cli') {
        const run = await succeed(
          'transform (CLI)',
          measureProcess('node', [
            'dist/client.js',
            'transform',
            '--input',
            payload.path,
            '--output',
            output,
            '--json',
          ]),
        );
        await verify('the CLI transform', JSON.parse(run.stdout) as TransformStats);
        result.cli.push(timed(run));
        log(`  ${devices} devices, round ${round + 1}: transform (CLI) ${describe(run)}`);
      } else if (arm === 'inProcess') {
        const run = await succeed(
          'transform (in-process)',
          measureProcess('node', ['bench/transformRunner.cjs', payload.path, output]),
        );
        const reported = JSON.parse(run.stdout) as RunnerReport;
        await verify('the in-process transform', reported.stats);
        const steady =
          reported.steady && reported.steady.devices > 0
            ? reported.steady.seconds / reported.steady.devices
            : undefined;
        result.inProcess.push({ ...timed(run), transformSeconds: reported.seconds, steadySecondsPerDevice: steady });
        log(
          `  ${devices} devices, round ${round + 1}: transform (in-process) ${reported.seconds.toFixed(2)} s inside; process ${describe(run)}`,
        );
      } else if ('runs' in result.baseline) {
        const run = await measureProcess('node', ['bench/jsonParseBaseline.cjs', payload.path]);
        if (!run.ok || run.stdout.trim() !== String(devices)) {
          result.baseline = { cannotLoad: failureReason(run) };
          log(`  ${devices} devices: JSON.parse baseline cannot load it: ${result.baseline.cannotLoad}`);
        } else {
          result.baseline.runs.push(timed(run));
          log(`  ${devices} devices, round ${round + 1}: JSON.parse baseline ${describe(run)}`);
        }
      }
    }
  }

  result.verifiedAgainst.referenceTransform = await compareWithReference(payload.path, output, expectedStats);
  result.loadAverage.after = loadavg();
  await rm(output, { force: true });
  return result;
}

/** referenceTransform's CSV, from a process with a large heap, byte for byte against the transform's `output`. */
async function compareWithReference(
  payloadPath: string,
  output: string,
  expectedStats: TransformStats,
): Promise<true | { cannotLoad: string }> {
  const referenceOutput = `${output}.reference`;
  try {
    const run = await measureProcess('node', [
      `--max-old-space-size=${REFERENCE_HEAP_MB}`,
      '--import',
      'tsx',
      'bench/referenceCsv.ts',
      payloadPath,
      referenceOutput,
    ]);
    if (!run.ok) return { cannotLoad: failureReason(run) };
    const stats = JSON.parse(run.stdout) as TransformStats;
    if (!isDeepStrictEqual(stats, expectedStats))
      throw new Error(`referenceTransform reported ${run.stdout.trim()}, expected ${JSON.stringify(expectedStats)}`);
    if (!(await readFile(referenceOutput)).equals(await readFile(output)))
      throw new Error(`referenceTransform's CSV differs from the transform's for ${payloadPath}`);
    return true;
  } finally {
    await rm(referenceOutput, { force: true });
  }
}

/** A run as the progress log shows it. */
export function describe(run: ProcessMeasurement): string {
  return `${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s), ${run.peakRssMb.toFixed(0)} MB`;
}

/** What the results keep of a run. */
export function timed(run: ProcessMeasurement): TimedRun {
  return { seconds: run.seconds, cpuSeconds: run.cpuSeconds, peakRssMb: run.peakRssMb };
}

/** The measurement of a process that must succeed; throws with the end of its stderr otherwise. */
export async function succeed(what: string, measurement: Promise<ProcessMeasurement>): Promise<ProcessMeasurement> {
  const run = await measurement;
  if (!run.ok) throw new Error(`${what} failed (exit ${run.exitCode}): ${run.stderr.trim().slice(-2000)}`);
  return run;
}

/** The line of a failed process's output that says why (Node prints the error after the stack). */
export function failureReason(run: ProcessMeasurement): string {
  const lines = run.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const reason =
    lines.find((line) => /^(\w*Error\b|FATAL ERROR)/.test(line)) ?? lines.at(-1) ?? `exit code ${run.exitCode}`;
  return reason.slice(0, 200);
}
