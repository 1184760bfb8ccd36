import type { EndToEndResult } from './benchResults';
import type { HugeValueResult } from './hugeValues';
import type { InProcessRun, SizeResult, TimedRun } from './sizeBenchmark';

export interface GoalOutcome {
  goal: string;
  met: boolean;
  detail: string;
}

export const SPEEDUP_DEVICES = 100_000;
const MIN_SPEEDUP = 1.5;
const MAX_PEAK_RSS_MB = 200;
const MAX_ORCHESTRATION_RATIO = 1.3;
const SCALING_TOLERANCE = 0.2;

export const best = (runs: readonly TimedRun[]): TimedRun => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
export const bestTransformSeconds = (runs: readonly InProcessRun[]): number =>
  Math.min(...runs.map((run) => run.transformSeconds));
export const peakRss = (runs: readonly TimedRun[]): number => Math.max(...runs.map((run) => run.peakRssMb));

/** The four goals, judged on what was measured (best of the runs; peak RSS is the worst run's). */
export function evaluateGoals(
  sizes: readonly SizeResult[],
  hugeValues: readonly HugeValueResult[],
  endToEnd: EndToEndResult | undefined,
): GoalOutcome[] {
  const goals: GoalOutcome[] = [];

  const reference = sizes.find((size) => size.devices === SPEEDUP_DEVICES);
  const speedups: [string, (size: SizeResult) => TimedRun[]][] = [
    ['`node dist/client.js transform`', (size) => size.cli],
    ['the same code path without the CLI start-up (bench/transformRunner.cjs)', (size) => size.inProcess],
  ];
  for (const [what, runsOf] of speedups) {
    const goal = `${what} ≥ ${MIN_SPEEDUP}× faster than read + JSON.parse at ${SPEEDUP_DEVICES} devices, whole process`;
    if (reference === undefined || !('runs' in reference.baseline)) {
      goals.push({
        goal,
        met: false,
        detail: `not measured: needs the ${SPEEDUP_DEVICES}-device size, loadable by JSON.parse`,
      });
      continue;
    }
    const [transform, baseline] = [best(runsOf(reference)).seconds, best(reference.baseline.runs).seconds];
    goals.push({
      goal,
      met: baseline / transform >= MIN_SPEEDUP,
      detail: `${(baseline / transform).toFixed(2)}× (${transform.toFixed(2)} s vs ${baseline.toFixed(2)} s)`,
    });
  }

  goals.push({
    goal: `transform peak RSS < ${MAX_PEAK_RSS_MB} MB at every size, output identical to the spec`,
    met: sizes.length > 0 && sizes.every((size) => peakRss(size.cli) < MAX_PEAK_RSS_MB),
    detail:
      sizes.map((size) => `${size.devices}: ${peakRss(size.cli).toFixed(0)} MB`).join(', ') + '; every output verified',
  });

  goals.push({
    goal: `a 300 MB string in one field: transform peak RSS < ${MAX_PEAK_RSS_MB} MB, read field skipped as oversized, ignored one skipped unread`,
    met:
      hugeValues.length > 0 &&
      hugeValues.every(
        (run) =>
          run.peakRssMb < MAX_PEAK_RSS_MB &&
          run.oversizedRecords === (run.read ? 1 : 0) &&
          run.devicesKept === (run.read ? 1 : 2),
      ),
    detail: hugeValues
      .map(
        (run) =>
          `${run.field} (${run.read ? 'read' : 'ignored'}): ${run.peakRssMb.toFixed(0)} MB, ${run.seconds.toFixed(2)} s, oversizedRecords ${run.oversizedRecords}`,
      )
      .join('; '),
  });

  if (endToEnd === undefined) {
    goals.push({
      goal: `chargerEtl ≤ ${MAX_ORCHESTRATION_RATIO}× the activities called directly`,
      met: false,
      detail: 'not measured (--no-e2e)',
    });
  } else {
    const workflow = Math.min(...endToEnd.workflow.map((run) => run.seconds));
    const direct = Math.min(...endToEnd.direct.map((run) => run.seconds));
    goals.push({
      goal: `chargerEtl ≤ ${MAX_ORCHESTRATION_RATIO}× the activities called directly`,
      met: workflow / direct <= MAX_ORCHESTRATION_RATIO,
      detail: `${(workflow / direct).toFixed(2)}× (${workflow.toFixed(2)} s vs ${direct.toFixed(2)} s)`,
    });
  }

  const marginal = marginalCosts(sizes);
  goals.push({
    goal: `linear scaling: seconds per added device within ±${SCALING_TOLERANCE * 100}% from the smallest size to the largest (in-process time)`,
    met: marginal.length > 0 && marginal.every((step) => Math.abs(step.deviation) <= SCALING_TOLERANCE),
    detail:
      marginal.length === 0
        ? 'not measured: needs two sizes or more'
        : marginal
            .map(
              (step) =>
                `${step.fromDevices}→${step.toDevices}: ${(step.secondsPerDevice * 1e6).toFixed(1)} µs (${step.deviation >= 0 ? '+' : ''}${(step.deviation * 100).toFixed(0)}%)`,
            )
            .join(', ') + ' against their median',
  });
  return goals;
}

export interface MarginalCost {
  fromDevices: number;
  toDevices: number;
  /** Added in-process transform time over added devices: the per-device cost without fixed costs (start-up, V8 warm-up). */
  secondsPerDevice: number;
  /** Relative to the median of all steps. */
  deviation: number;
}

/** The cost per added device between consecutive sizes (sorted by devices), from the best in-process times. */
export function marginalCosts(sizes: readonly SizeResult[]): MarginalCost[] {
  const sorted = [...sizes].sort((a, b) => a.devices - b.devices);
  const steps = sorted.slice(1).map((size, k) => ({
    fromDevices: sorted[k].devices,
    toDevices: size.devices,
    secondsPerDevice:
      (bestTransformSeconds(size.inProcess) - bestTransformSeconds(sorted[k].inProcess)) /
      (size.devices - sorted[k].devices),
  }));
  const costs = steps.map((step) => step.secondsPerDevice).sort((a, b) => a - b);
  const median = costs[Math.floor(costs.length / 2)];
  return steps.map((step) => ({ ...step, deviation: step.secondsPerDevice / median - 1 }));
}
