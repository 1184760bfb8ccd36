import type { AnchorSizeResult } from './anchorBenchmark';
import type { GoalOutcome } from './goals';
import type { HugeValueResult } from './hugeValues';
import type { SizeResult, TimedRun } from './sizeBenchmark';

/** One run, timed from start to result. */
export interface EndToEndRun {
  seconds: number;
  csvSha256: string;
  /** The stages' own durations as the activities measured them. */
  stagesMs: { checkStatus: number; fetchData: number; transform: number; upload: number };
}

/** bench/endToEnd.ts: chargerEtl through a worker against its activities called directly. */
export interface EndToEndResult {
  workflow: EndToEndRun[];
  direct: EndToEndRun[];
}

/** One chargePointsEtl run over the simulated feeds (bench/openDataBench.ts), on a fresh worker. */
export interface OpenDataRun {
  /** From starting the workflow to its result, through the client. */
  seconds: number;
  /** The worker process's VmHWM at the end of the run: its peak RSS. */
  workerPeakRssMb: number;
  /** The worker process's CPU time (user + system), warm-up and start-up included. */
  workerCpuSeconds: number;
  /** Its RSS once it polled (started, idle), and after the warm-up run. */
  workerIdleRssMb: number;
  workerWarmRssMb: number;
  /** The highest RSS sampled (every 250 ms) during the measured run, and when (seconds into it): which stage holds the peak. */
  sampledPeakRssMb: number;
  sampledPeakAtSeconds: number;
  /** Pages the feed servers answered during the measured run. */
  pagesServed: number;
  /** The workflow's own stage durations (its report). */
  durationsMs: { feedsMs: number; mergeMs: number; uploadMs: number };
  /** The feeds that took longest, fetch and normalise (the critical path's candidates). */
  slowestFeeds: { id: string; pages: number; durationMs: number }[];
  feedsOk: number;
}

/** The open-data pipeline at one size: 60 feeds holding `evses` EVSEs. */
export interface OpenDataSizeResult {
  evses: number;
  feeds: number;
  pages: number;
  bytes: number;
  locations: number;
  evsesKept: number;
  rows: number;
  csvBytes: number;
  /** The offline transform of the same bodies, in the bench process (the reference the runs are checked against). */
  offlineSeconds: number;
  runs: OpenDataRun[];
}

/** What bench/openDataBench.ts is given (one JSON argument). */
export interface OpenDataBenchArgs {
  /** Generated feed directories (each with its manifest.json), smallest first. */
  directories: string[];
  runs: number;
  /** Where each size's catalogue and outputs go. */
  dataDir: string;
  /** When set, the worker writes a V8 CPU profile (--cpu-prof) of each run here. */
  profileDir?: string;
  /** Node options of the worker process (e.g. --max-semi-space-size=4), for memory experiments. */
  workerNodeArgs: string[];
}

/** The parts of `npm run bench`; `--only` picks some. */
export type BenchPart = 'transform' | 'huge-values' | 'e2e' | 'open-data';
export const BENCH_PARTS: readonly BenchPart[] = ['transform', 'huge-values', 'e2e', 'open-data'];

/** The options of `npm run bench`. */
export interface BenchOptions {
  /** The parts run: `--only`, less those turned off (`--no-e2e`, `--no-open-data`). */
  parts: BenchPart[];
  sizes: number[];
  /** Rounds of each measurement; the anchors run one round at sizes above 100k devices. */
  runs: number;
  /** pandas and DuckDB are run up to this many devices. */
  anchorMaxDevices: number;
  seed: number;
  edgeRate: number;
  e2eDevices: number;
  /** EVSEs in all 60 simulated feeds, one size each. */
  openDataEvses: number[];
  openDataRuns: number;
  /** Where the worker writes CPU profiles of the open-data runs, when set. */
  openDataProfile?: string;
  /** Extra Node options of the open-data worker process. */
  workerNodeArgs: string[];
  dataDir: string;
  results: string;
  /** Where the chart of the anchors' comparison (SVG) is written. */
  chart: string;
}

/**
 * Start-up runs, without NODE_EXTRA_CA_CERTS (see measureStartup in bench/run.ts); when the
 * environment sets it, the command and `node -e 0` are measured with it too.
 */
export interface StartupResult {
  input: string;
  cli: TimedRun[];
  inProcess: TimedRun[];
  node: TimedRun[];
  withExtraCaCerts?: { cli: TimedRun[]; node: TimedRun[] };
}

/** What bench/results.json holds. */
export interface BenchResults {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  options: BenchOptions;
  /** Start-up: the transform command, the in-process runner and `node -e 0` on the bundled sample, whole process. */
  startup?: StartupResult;
  /** Empty when the transform part was not run. */
  sizes: SizeResult[];
  /** Ours against read + JSON.parse, pandas and DuckDB on payloads without edge cases; empty when not run. */
  anchors: AnchorSizeResult[];
  /** A device with one 300 MB string, in a field the transform reads and in one it ignores; empty when not run. */
  hugeValues: HugeValueResult[];
  endToEnd?: EndToEndResult & { devices: number };
  /** The open-data pipeline (chargePointsEtl) at each size. */
  openData?: OpenDataSizeResult[];
  goals: GoalOutcome[];
  loadAverage: { start: number[]; end: number[] };
}
