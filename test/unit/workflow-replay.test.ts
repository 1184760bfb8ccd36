import { readdir } from 'node:fs/promises';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { etlWorkflowCode } from '../../src/etlWorker';
import { installJsonLogging } from '../../src/logging';
import { join } from 'node:path';
import {
  EARLIER_HISTORY_SETS,
  HISTORIES_DIR,
  RECORDED_RUNS,
  readRecordedHistory,
  type HistorySet,
} from '../support/recordedHistories';

/**
 * The determinism guard: histories of real chargerEtl runs (recorded by
 * `npm run record-histories`) replayed in process against the workflow code the
 * worker runs. A change that alters the commands a running workflow issues
 * (an activity, local activity or timer added, removed or reordered) makes
 * its replay fail with a DeterminismViolationError: guard it with patched()
 * (README, "Workflow histories and patched()"). Histories of earlier workflow
 * code are replayed too, as long as runs of it may be in flight.
 */
installJsonLogging('warn');

const SETS: HistorySet[] = ['current', ...EARLIER_HISTORY_SETS];
const CASES = SETS.flatMap((set) => RECORDED_RUNS.map((run) => ({ set, run })));
const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  const histories = await Promise.all(CASES.map(({ set, run }) => readRecordedHistory(run, set)));
  const workflowIds = new Map(CASES.map((entry, index) => [entry, histories[index].workflowId]));
  expect(new Set(workflowIds.values()).size).toBe(CASES.length);
  // One replay worker, so the workflow code is bundled once for every history.
  for await (const result of Worker.runReplayHistories(etlWorkflowCode(), histories))
    results.set(result.workflowId, result);
  for (const [{ set, run }, workflowId] of workflowIds) caseResults.set(`${set}/${run}`, results.get(workflowId));
}, 300_000);

const caseResults = new Map<string, ReplayResult | undefined>();

describe('recorded chargerEtl histories replay on the current workflow code', () => {
  it.each(SETS)('the %s history set holds exactly the recorded runs', async (set) => {
    const dir = set === 'current' ? HISTORIES_DIR : join(HISTORIES_DIR, set);
    const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
    expect(files).toEqual(RECORDED_RUNS.map((run) => `${run}.json`).sort());
  });

  it.each(CASES)('$set/$run', ({ set, run }) => {
    const result = caseResults.get(`${set}/${run}`);
    expect(result, `no replay result for ${set}/${run}`).toBeDefined();
    expect(result?.error).toBeUndefined();
  });
});
