import type { GoalOutcome } from './goals';
import type { HugeValueResult } from './hugeValues';
import type { SizeResult } from './sizeBenchmark';

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

/** The options of `npm run bench`. */
export interface BenchOptions {
  sizes: number[];
  runs: number;
  seed: number;
  edgeRate: number;
  e2e: boolean;
  e2eDevices: number;
  dataDir: string;
  results: string;
}

/** What bench/results.json holds. */
export interface BenchResults {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  options: BenchOptions;
  /** Cost of a transform of an empty registry (start-up): whole process, CLI and in-process runner. */
  startup: { cliSeconds: number; cliPeakRssMb: number; inProcessSeconds: number };
  sizes: SizeResult[];
  /** A device with one 300 MB string, in a field the transform reads and in one it ignores. */
  hugeValues: HugeValueResult[];
  endToEnd?: EndToEndResult & { devices: number };
  goals: GoalOutcome[];
  loadAverage: { start: number[]; end: number[] };
}
