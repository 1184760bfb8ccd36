import type { AnchorSizeResult, ToolResult } from '../../bench/anchorBenchmark';
import type { BenchOptions } from '../../bench/benchResults';
import type { MeasuredResults } from '../../bench/goals';
import type { SizeResult, TimedRun } from '../../bench/sizeBenchmark';

/** Runs with these wall times (CPU the same), all at `peakRssMb`. */
export function runs(seconds: readonly number[], peakRssMb = 100): TimedRun[] {
  return seconds.map((wall) => ({ seconds: wall, cpuSeconds: wall, peakRssMb }));
}

/** A transform size result: the CLI's and the in-process runner's runs the same, the JSON.parse baseline as given. */
export function sizeResult(devices: number, cli: TimedRun[], baseline: TimedRun[] | undefined): SizeResult {
  return {
    devices,
    bytes: devices * 2500,
    rows: devices / 3,
    cli,
    inProcess: cli.map((run) => ({ ...run, transformSeconds: run.seconds })),
    baseline:
      baseline === undefined
        ? { cannotLoad: 'Cannot create a string longer than 0x1fffffe8 characters' }
        : { runs: baseline },
    verifiedAgainst: { expectedAggregate: true, referenceTransform: true },
    loadAverage: { before: [0, 0, 0], after: [0, 0, 0] },
  };
}

export function anchorResult(devices: number, tools: Partial<AnchorSizeResult['tools']>): AnchorSizeResult {
  const notRun: ToolResult = { notRun: 'above --anchor-max-devices 400000' };
  return {
    devices,
    bytes: devices * 2500,
    rows: devices / 3,
    rounds: 5,
    tools: { transform: notRun, jsonParse: notRun, pandas: notRun, duckdb: notRun, ...tools },
  };
}

/** Results of a `--only transform` run. */
export function transformResults(overrides: Partial<MeasuredResults>): MeasuredResults {
  return {
    options: { parts: ['transform'] } as BenchOptions,
    startup: undefined,
    sizes: [],
    anchors: [],
    hugeValues: [],
    endToEnd: undefined,
    openData: undefined,
    ...overrides,
  };
}
