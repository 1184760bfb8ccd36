import { readdir } from 'node:fs/promises';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { etlWorkflowCode } from '../../src/etlWorker';
import { installJsonLogging } from '../../src/logging';
import { HISTORIES_DIR, RECORDED_RUNS, readRecordedHistory, recordedWorkflowId } from '../support/recordedHistories';

/**
 * The determinism guard: histories of real chargerEtl runs (recorded by
 * `npm run record-histories`) replayed in process against the workflow code the
 * worker runs. A change that alters the commands a running workflow issues
 * (an activity, local activity or timer added, removed or reordered) makes
 * its replay fail with a DeterminismViolationError: guard it with patched()
 * (README, "Workflow histories and patched()").
 */
installJsonLogging('warn');

const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  const histories = await Promise.all(RECORDED_RUNS.map(readRecordedHistory));
  // One replay worker, so the workflow code is bundled once for every history.
  for await (const result of Worker.runReplayHistories(etlWorkflowCode(), histories))
    results.set(result.workflowId, result);
}, 300_000);

describe('recorded chargerEtl histories replay on the current workflow code', () => {
  it('the fixtures directory holds exactly the recorded runs', async () => {
    const files = (await readdir(HISTORIES_DIR)).filter((name) => name.endsWith('.json')).sort();
    expect(files).toEqual(RECORDED_RUNS.map((run) => `${run}.json`).sort());
  });

  it.each(RECORDED_RUNS)('%s', (run) => {
    const result = results.get(recordedWorkflowId(run));
    expect(result, `no replay result for ${run}`).toBeDefined();
    expect(result?.error).toBeUndefined();
  });
});
