import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { etlWorkflowCode } from '../../src/etlWorker';
import { installJsonLogging } from '../../src/logging';
import {
  CHARGE_POINTS_HISTORIES_DIR,
  CHARGE_POINTS_SCENARIOS,
  chargePointsWorkflowIds,
  EARLIER_HISTORY_SETS,
  HISTORIES_DIR,
  RECORDED_RUNS,
  readChargePointsHistory,
  readRecordedHistory,
  type HistorySet,
} from '../support/recordedHistories';

/**
 * The determinism guard: histories of real chargerEtl runs, and of real
 * chargePointsEtl runs with every feedEtl child (recorded by
 * `npm run record-histories`), replayed in process against the workflow code the
 * worker runs. A change that alters the commands a running workflow issues
 * (an activity, local activity, timer or child added, removed or reordered) makes
 * its replay fail with a DeterminismViolationError: guard it with patched()
 * (README, "Workflow histories and patched()"). Histories of earlier workflow
 * code are replayed too, as long as runs of it may be in flight.
 */
installJsonLogging('warn');

const SETS: HistorySet[] = ['current', ...EARLIER_HISTORY_SETS];
const CASES = SETS.flatMap((set) => RECORDED_RUNS.map((run) => ({ set, run })));
const CHARGE_POINTS_CASES = CHARGE_POINTS_SCENARIOS.flatMap((scenario) =>
  chargePointsWorkflowIds(scenario).map((workflowId) => ({ scenario, workflowId })),
);
const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  const histories = await Promise.all([
    ...CASES.map(({ set, run }) => readRecordedHistory(run, set)),
    ...CHARGE_POINTS_CASES.map(({ scenario, workflowId }) => readChargePointsHistory(scenario, workflowId)),
  ]);
  expect(new Set(histories.map((history) => history.workflowId)).size).toBe(histories.length);
  const workflowIds = histories.slice(0, CASES.length).map((history) => history.workflowId);
  // One replay worker, so the workflow code is bundled once for every history.
  for await (const result of Worker.runReplayHistories(etlWorkflowCode(), histories))
    results.set(result.workflowId, result);
  CASES.forEach(({ set, run }, index) => caseResults.set(`${set}/${run}`, results.get(workflowIds[index])));
}, 300_000);

const caseResults = new Map<string, ReplayResult | undefined>();

async function jsonFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
}

describe('recorded chargerEtl histories replay on the current workflow code', () => {
  it.each(SETS)('the %s history set holds exactly the recorded runs', async (set) => {
    const dir = set === 'current' ? HISTORIES_DIR : join(HISTORIES_DIR, set);
    expect(await jsonFiles(dir)).toEqual(RECORDED_RUNS.map((run) => `${run}.json`).sort());
  });

  it.each(CASES)('$set/$run', ({ set, run }) => {
    const result = caseResults.get(`${set}/${run}`);
    expect(result, `no replay result for ${set}/${run}`).toBeDefined();
    expect(result?.error).toBeUndefined();
  });
});

describe('recorded chargePointsEtl histories, parent and children, replay on the current workflow code', () => {
  it('the charge-points folder holds exactly the recorded scenarios', async () => {
    const entries = await readdir(CHARGE_POINTS_HISTORIES_DIR, { withFileTypes: true });
    expect(entries.map((entry) => `${entry.name}${entry.isDirectory() ? '/' : ''}`).sort()).toEqual(
      CHARGE_POINTS_SCENARIOS.map((scenario) => `${scenario}/`).sort(),
    );
  });

  it.each(CHARGE_POINTS_SCENARIOS)('the %s folder holds exactly its parent and children', async (scenario) => {
    expect((await readdir(join(CHARGE_POINTS_HISTORIES_DIR, scenario))).sort()).toEqual(
      chargePointsWorkflowIds(scenario)
        .map((workflowId) => `${workflowId}.json`)
        .sort(),
    );
  });

  it.each(CHARGE_POINTS_CASES)('charge-points: $workflowId', ({ scenario, workflowId }) => {
    const result = results.get(workflowId);
    expect(result, `no replay result for ${scenario}/${workflowId}`).toBeDefined();
    expect(result?.error).toBeUndefined();
  });
});
