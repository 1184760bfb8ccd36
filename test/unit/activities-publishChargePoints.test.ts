import { createHash } from 'node:crypto';
import { json, text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import type { PublishChargePointsInput } from '../../src/activities/publishChargePoints';
import { emptyChargePointStats, type ChargePointStats } from '../../src/domain/chargePointStats';
import type { ChargePointsManifest } from '../../src/domain/chargePointsManifest';
import type { FeedHealth } from '../../src/domain/chargePointsRun';
import { ERROR_CODES } from '../../src/domain/errors';
import { stagingPrefix } from '../../src/domain/manifest';
import { activityHarness, applicationFailureOf, stagedFiles, type ActivityHarness } from '../support/activityHarness';

// The registry is not asked: publishChargePoints reads only the store.
const NO_REGISTRY = { body: Buffer.alloc(0) };
const WORKFLOW_ID = 'charge-points-test';
const RUN_1 = { workflowId: WORKFLOW_ID, runId: 'run-1', runStartedAt: '2026-11-30T06:00:00.000Z' };
const RUN_2 = { workflowId: WORKFLOW_ID, runId: 'run-2', runStartedAt: '2026-12-01T06:00:00.000Z' };
type Run = typeof RUN_1;

const CSV =
  'Operator,ParkingType,ConnectorTypes,SpeedCategory,PostCode,MonthUpdated,EVSEs\nAcme,,CCS,rapid,AB1 2CD,2026-11,4\n';
const STATS: ChargePointStats = { ...emptyChargePointStats(), locationsSeen: 2, evsesSeen: 4, evsesKept: 4, rows: 1 };

function feedHealth(status: FeedHealth['status'], id: string): FeedHealth {
  const contributed = status === 'ok' ? { locations: 2, evsesKept: 4, pages: 1, bytes: 900 } : {};
  return {
    id,
    name: `Operator ${id}`,
    status,
    locations: 0,
    evsesKept: 0,
    pages: 0,
    bytes: 0,
    durationMs: 12,
    ...contributed,
    ...(status === 'ok' ? { fetchedAt: '2026-11-30T06:00:01.000Z' } : { lastError: `${id} is ${status}` }),
  };
}
const FEEDS = [feedHealth('ok', 'acme'), feedHealth('skipped', 'keyed'), feedHealth('failed', 'broken')];

/**
 * Stages a run's merged CSV as the merge leaves it, beside a feed child's normalised data
 * (children stage under the run's prefix), and returns what the workflow hands the activity.
 */
async function stagedRun(
  harness: ActivityHarness,
  run: Run,
  { csv = CSV, stats = STATS, feeds = FEEDS, force = false } = {},
): Promise<PublishChargePointsInput> {
  const staging = stagingPrefix(run.workflowId, run.runId);
  await harness.store.put(`${staging}feeds/acme/normalised.ndjson`, '{}\n');
  await harness.store.put(`${staging}charge_points_UK.csv`, csv);
  return {
    destination: harness.destination,
    csvKey: `${staging}charge_points_UK.csv`,
    csvSha256: createHash('sha256').update(csv).digest('hex'),
    csvBytes: Buffer.byteLength(csv),
    stats,
    feeds,
    runStartedAt: run.runStartedAt,
    force,
  };
}

function publish(harness: ActivityHarness, run: Run, input: PublishChargePointsInput, attempt = 1) {
  return harness.attempt({ ...run, attempt }).run(harness.activities.publishChargePoints, input);
}

async function textAt(harness: ActivityHarness, key: string): Promise<string> {
  return text(await harness.store.get(key));
}

async function manifestAt(harness: ActivityHarness, key: string): Promise<ChargePointsManifest> {
  return (await json(await harness.store.get(key))) as ChargePointsManifest;
}

describe('publishChargePoints activity', () => {
  it('writes the history CSV, feed health and manifest, publishes them at the stable keys and removes the run staging', async () => {
    const harness = await activityHarness(NO_REGISTRY);
    const input = await stagedRun(harness, RUN_1);
    const attempt = harness.attempt(RUN_1);

    const result = await attempt.run(harness.activities.publishChargePoints, input);

    const history = 'history/2026-11-30/run-1/';
    const uri = (key: string) => harness.store.uriFor(key);
    expect(result).toEqual({
      historyCsvUri: uri(`${history}charge_points_UK.csv`),
      manifestUri: uri(`${history}charge_points_UK.manifest.json`),
      feedsUri: uri(`${history}charge_points_UK.feeds.json`),
      stableUri: uri('charge_points_UK.csv'),
      stableFeedsUri: uri('charge_points_UK.feeds.json'),
      published: true,
      unchanged: false,
      reason: 'first publish',
      durationMs: expect.any(Number) as number,
    });
    expect(await textAt(harness, `${history}charge_points_UK.csv`)).toBe(CSV);
    expect(await textAt(harness, 'charge_points_UK.csv')).toBe(CSV);
    const feedsJson = `${JSON.stringify({ feeds: FEEDS }, null, 2)}\n`;
    expect(await textAt(harness, `${history}charge_points_UK.feeds.json`)).toBe(feedsJson);
    expect(await textAt(harness, 'charge_points_UK.feeds.json')).toBe(feedsJson);
    const manifest: ChargePointsManifest = {
      manifestVersion: 1,
      dataset: 'charge_points_UK',
      stats: STATS,
      csv: {
        key: `${history}charge_points_UK.csv`,
        uri: result.historyCsvUri,
        bytes: Buffer.byteLength(CSV),
        sha256: input.csvSha256,
      },
      feeds: {
        ok: 1,
        skipped: 1,
        disabled: 0,
        stale: 0,
        failed: 1,
        expired: 0,
        feedsKey: `${history}charge_points_UK.feeds.json`,
        feedsUri: result.feedsUri,
      },
      workflowId: WORKFLOW_ID,
      runId: 'run-1',
      runStartedAt: RUN_1.runStartedAt,
      codeVersion: 'activity-tests',
    };
    expect(await manifestAt(harness, `${history}charge_points_UK.manifest.json`)).toEqual(manifest);
    expect(await manifestAt(harness, 'charge_points_UK.manifest.json')).toEqual(manifest);
    // The charger-models keys are another dataset's: untouched.
    expect(await harness.store.head('manifest.json')).toBeUndefined();
    expect(await harness.store.head('charger_models_UK.csv')).toBeUndefined();
    expect(await stagedFiles(harness)).toEqual([]);
    expect(attempt.heartbeats.map((progress) => progress.step)).toEqual([
      'copying to history',
      'publishing',
      'publishing feed health',
      'removing staging',
    ]);
  });

  it('returns the same result when retried after it completed, although staging is gone, and rewrites no history', async () => {
    const harness = await activityHarness(NO_REGISTRY);
    const input = await stagedRun(harness, RUN_1);
    const first = await publish(harness, RUN_1, input);
    const history = 'history/2026-11-30/run-1/';
    const written = async () =>
      Promise.all(
        [
          `${history}charge_points_UK.feeds.json`,
          `${history}charge_points_UK.manifest.json`,
          'charge_points_UK.manifest.json',
        ].map((key) => harness.store.head(key)),
      );
    const before = await written();

    const retried = await publish(harness, RUN_1, input, 2);

    expect(retried).toEqual({
      ...first,
      reason: 'claimed by an earlier attempt of this run',
      durationMs: expect.any(Number) as number,
    });
    expect(await written()).toEqual(before);
    expect(await textAt(harness, 'charge_points_UK.csv')).toBe(CSV);
    expect(await stagedFiles(harness)).toEqual([]);
  });

  it('fails for good with PublishRefused naming evsesKept, keeping the new CSV and feed health in history only', async () => {
    const harness = await activityHarness(NO_REGISTRY);
    await publish(harness, RUN_1, await stagedRun(harness, RUN_1));
    const stableFeedsBefore = await textAt(harness, 'charge_points_UK.feeds.json');
    const emptyCsv = 'Operator,ParkingType,ConnectorTypes,SpeedCategory,PostCode,MonthUpdated,EVSEs\n';
    const input = await stagedRun(harness, RUN_2, {
      csv: emptyCsv,
      stats: emptyChargePointStats(),
      feeds: [feedHealth('failed', 'acme')],
    });

    const failure = await applicationFailureOf(publish(harness, RUN_2, input));

    const historyUri = harness.store.uriFor('history/2026-12-01/run-2/charge_points_UK.csv');
    expect(failure).toMatchObject({ type: ERROR_CODES.publishRefused, nonRetryable: true });
    expect(failure.message).toBe(
      `publish guard refused to replace ${harness.store.uriFor('charge_points_UK.csv')}: evsesKept fell from 4 to 0; ` +
        `the new CSV is kept at ${historyUri}; rerun with force to publish it anyway`,
    );
    expect(await textAt(harness, 'charge_points_UK.csv')).toBe(CSV);
    expect(await manifestAt(harness, 'charge_points_UK.manifest.json')).toMatchObject({ runId: 'run-1' });
    expect(await textAt(harness, 'charge_points_UK.feeds.json')).toBe(stableFeedsBefore);
    expect(await textAt(harness, 'history/2026-12-01/run-2/charge_points_UK.csv')).toBe(emptyCsv);
    expect(await harness.store.head('history/2026-12-01/run-2/charge_points_UK.feeds.json')).toBeDefined();
  });

  it('reports unchanged for an identical CSV, leaving the stable CSV and manifest alone but placing its fresher feed health', async () => {
    const harness = await activityHarness(NO_REGISTRY);
    await publish(harness, RUN_1, await stagedRun(harness, RUN_1));
    const stableCsvBefore = await harness.store.head('charge_points_UK.csv');
    const feeds = [feedHealth('ok', 'acme'), feedHealth('skipped', 'keyed'), feedHealth('expired', 'broken')];

    const result = await publish(harness, RUN_2, await stagedRun(harness, RUN_2, { feeds }));

    expect(result).toMatchObject({
      published: false,
      unchanged: true,
      reason: 'the CSV is identical to the published one',
    });
    expect(await harness.store.head('charge_points_UK.csv')).toEqual(stableCsvBefore);
    expect(await manifestAt(harness, 'charge_points_UK.manifest.json')).toMatchObject({ runId: 'run-1' });
    expect(await textAt(harness, 'charge_points_UK.feeds.json')).toBe(`${JSON.stringify({ feeds }, null, 2)}\n`);
    expect(await stagedFiles(harness)).toEqual([]);
  });

  it('when superseded by a run that started later, keeps to history and leaves the stable feed health to that run', async () => {
    const harness = await activityHarness(NO_REGISTRY);
    const newerCsv = `${CSV}Acme,,CCS,rapid,EF3 4GH,2026-11,1\n`;
    const newerFeeds = [feedHealth('ok', 'acme')];
    await publish(
      harness,
      RUN_2,
      await stagedRun(harness, RUN_2, { csv: newerCsv, stats: { ...STATS, evsesKept: 5, rows: 2 }, feeds: newerFeeds }),
    );

    const stableFeedsBefore = await harness.store.head('charge_points_UK.feeds.json');
    const attempt = harness.attempt(RUN_1);

    const result = await attempt.run(harness.activities.publishChargePoints, await stagedRun(harness, RUN_1));

    expect(result).toMatchObject({
      published: false,
      unchanged: false,
      reason: `run run-2 started later (${RUN_2.runStartedAt}) and has already published`,
    });
    expect(await textAt(harness, 'charge_points_UK.csv')).toBe(newerCsv);
    expect(await manifestAt(harness, 'charge_points_UK.manifest.json')).toMatchObject({ runId: 'run-2' });
    expect(await harness.store.head('charge_points_UK.feeds.json')).toEqual(stableFeedsBefore);
    expect(await textAt(harness, 'charge_points_UK.feeds.json')).toBe(
      `${JSON.stringify({ feeds: newerFeeds }, null, 2)}\n`,
    );
    expect(attempt.heartbeats.map((progress) => progress.step)).not.toContain('publishing feed health');
    expect(await textAt(harness, 'history/2026-11-30/run-1/charge_points_UK.csv')).toBe(CSV);
    expect(await stagedFiles(harness)).toEqual([]);
  });
});
