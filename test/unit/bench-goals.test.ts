import { describe, expect, it } from 'vitest';
import { evaluateGoals, median, type GoalOutcome } from '../../bench/goals';
import { anchorResult, runs, sizeResult, transformResults } from './bench-helpers';

const goal = (goals: GoalOutcome[], starts: string): GoalOutcome => {
  const found = goals.find((outcome) => outcome.goal.startsWith(starts));
  if (found === undefined) throw new Error(`no goal starting "${starts}" in ${JSON.stringify(goals)}`);
  return found;
};

describe('bench goals', () => {
  it('takes the median: the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('judges start-up on the median wall time and the worst peak RSS', () => {
    const fast = evaluateGoals(
      transformResults({
        startup: {
          input: 'sample',
          cli: runs([0.9, 0.1, 0.12, 0.11, 0.8], 50),
          inProcess: [],
          node: runs([0.05, 0.06, 0.07], 39),
        },
      }),
    );
    expect(goal(fast, 'start-up')).toMatchObject({ met: true, detail: '0.12 s, 50 MB (`node -e 0`: 0.06 s, 39 MB)' });

    const heavy = evaluateGoals(
      transformResults({
        startup: {
          input: 'sample',
          cli: [...runs([0.1, 0.1], 50), ...runs([0.1], 61)],
          inProcess: [],
          node: runs([0.05], 39),
        },
      }),
    );
    expect(goal(heavy, 'start-up').met).toBe(false);
  });

  it('judges start-up without NODE_EXTRA_CA_CERTS and reports the runs with it beside', () => {
    const outcome = goal(
      evaluateGoals(
        transformResults({
          startup: {
            input: 'sample',
            cli: runs([0.11, 0.1, 0.12], 50),
            inProcess: [],
            node: runs([0.04], 38),
            withExtraCaCerts: { cli: runs([0.19, 0.2, 0.18], 52), node: runs([0.12], 40) },
          },
        }),
      ),
      'start-up',
    );
    expect(outcome).toMatchObject({
      met: true,
      detail:
        "0.11 s, 50 MB (`node -e 0`: 0.04 s, 38 MB); with the environment's NODE_EXTRA_CA_CERTS, " +
        'which Node 20 parses at every start: 0.19 s (`node -e 0`: 0.12 s)',
    });
  });

  it('judges the speed-up over JSON.parse on medians, not on the best runs', () => {
    // Best of each: 1 s against 1 s (1×); medians: 1 s against 3.1 s.
    const sizes = [sizeResult(100_000, runs([1, 1, 1, 5, 5]), runs([3.1, 3.1, 3.1, 1, 1]))];
    const outcome = goal(evaluateGoals(transformResults({ sizes })), '`node dist/client.js transform` ≥ 3×');
    expect(outcome.met).toBe(true);
    expect(outcome.detail).toBe('3.10× (1.00 s vs 3.10 s, medians of 5 and 5)');

    const slower = [sizeResult(100_000, runs([1, 1, 1]), runs([2.9, 2.9, 9]))];
    expect(goal(evaluateGoals(transformResults({ sizes: slower })), '`node dist/client.js transform` ≥ 3×').met).toBe(
      false,
    );
  });

  it('judges the speed-up over the original script on the payload without edge cases, and says when pandas was not measured', () => {
    const measured = anchorResult(100_000, {
      transform: { runs: runs([1, 1.2, 0.9]) },
      pandas: { runs: runs([8.5, 8, 30]) },
    });
    const met = goal(evaluateGoals(transformResults({ anchors: [measured] })), 'the same, without edge cases');
    expect(met).toMatchObject({ met: true, detail: '8.50× (1.00 s vs 8.50 s, medians of 3 and 3)' });

    const crashed = anchorResult(100_000, { transform: { runs: runs([1]) }, pandas: { cannotLoad: 'MemoryError' } });
    const notMeasured = goal(evaluateGoals(transformResults({ anchors: [crashed] })), 'the same, without edge cases');
    expect(notMeasured.met).toBe(false);
    expect(notMeasured.detail).toContain('not measured');
  });

  it('needs peak RSS under 120 MB at all four sizes, and names the sizes not measured', () => {
    const all = [10_000, 100_000, 400_000, 1_000_000].map((devices) => sizeResult(devices, runs([1], 119), undefined));
    expect(goal(evaluateGoals(transformResults({ sizes: all })), 'peak RSS').met).toBe(true);

    const partial = goal(evaluateGoals(transformResults({ sizes: all.slice(0, 2) })), 'peak RSS');
    expect(partial.met).toBe(false);
    expect(partial.detail).toContain('not measured at 400000, 1000000');

    const heavy = all.map((size, k) =>
      k === 3 ? sizeResult(size.devices, [...runs([1], 100), ...runs([1], 120)], undefined) : size,
    );
    expect(goal(evaluateGoals(transformResults({ sizes: heavy })), 'peak RSS').met).toBe(false);
  });

  it('keeps the scaling goal, on median in-process times', () => {
    const sizes = [
      sizeResult(10_000, runs([0.2, 0.3, 9]), undefined),
      sizeResult(100_000, runs([1.2, 1.3, 0.1]), undefined),
      sizeResult(400_000, runs([4.2, 4.3, 4.4]), undefined),
    ];
    const scaling = goal(evaluateGoals(transformResults({ sizes })), 'linear scaling');
    // Medians 0.3, 1.2, 4.3 s: 10 µs and 10.3 µs per added device.
    expect(scaling.met).toBe(true);
    expect(scaling.detail).toContain('10000→100000: 10.0 µs');
  });
});
