import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyChargePointStats } from '../../src/domain/chargePointStats';
import type { ChargePointsManifest } from '../../src/domain/chargePointsManifest';
import { placeStableFeedHealth } from '../../src/publish/stableFeedHealth';
import { manifestJson } from '../../src/publish/stablePublisher';
import { FileStore } from '../../src/storage/fileStore';

const dirs: string[] = [];
let store: FileStore;

beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'uk-chargers-feed-health-'));
  dirs.push(dir);
  store = new FileStore(dir);
});

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A run whose history holds its feed health `health`. */
async function run(runId: string, runStartedAt: string, health: string): Promise<ChargePointsManifest> {
  const history = `history/${runStartedAt.slice(0, 10)}/${runId}/`;
  await store.put(`${history}charge_points_UK.feeds.json`, health);
  return {
    manifestVersion: 1,
    dataset: 'charge_points_UK',
    stats: emptyChargePointStats(),
    csv: { key: `${history}charge_points_UK.csv`, uri: 'u', bytes: 1, sha256: runId },
    feeds: {
      ok: 1,
      skipped: 0,
      disabled: 0,
      stale: 0,
      failed: 0,
      expired: 0,
      feedsKey: `${history}charge_points_UK.feeds.json`,
      feedsUri: 'u',
    },
    workflowId: 'wf',
    runId,
    runStartedAt,
    codeVersion: 'test',
  };
}

async function stableFeedHealth(): Promise<string> {
  return text(await store.get('charge_points_UK.feeds.json'));
}

describe('placeStableFeedHealth', () => {
  it("places the run's feed health when the stable manifest is its own or an older run's", async () => {
    const older = await run('older', '2026-11-20T06:00:00.000Z', 'older health');
    const ours = await run('ours', '2026-11-21T06:00:00.000Z', 'our health');
    await store.put('charge_points_UK.manifest.json', manifestJson(older));

    await placeStableFeedHealth(store, ours);

    expect(await stableFeedHealth()).toBe('our health');
  });

  it('puts back the feed health of a run that started later and claimed the stable keys meanwhile', async () => {
    const ours = await run('ours', '2026-11-21T06:00:00.000Z', 'our health');
    const newer = await run('newer', '2026-11-22T06:00:00.000Z', 'newer health');
    // Our publish ended, then the newer run claimed and placed its feed health before our write lands.
    await store.put('charge_points_UK.manifest.json', manifestJson(newer));
    await store.put('charge_points_UK.feeds.json', 'newer health');

    await placeStableFeedHealth(store, ours);

    expect(await stableFeedHealth()).toBe('newer health');
  });
});
