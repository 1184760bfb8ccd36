import { describe, expect, it } from 'vitest';
import { emptyChargePointStats } from '../../src/domain/chargePointStats';
import type { ChargePointsManifest } from '../../src/domain/chargePointsManifest';
import { CHARGE_POINTS_DATASET, CHARGER_MODELS_DATASET } from '../../src/domain/datasets';
import type { Manifest } from '../../src/domain/manifest';
import { decidePublish } from '../../src/publish/publishDecision';
import { emptyStats } from '../../src/domain/stats';

function published(devicesKept: number, sha256 = 'a'.repeat(64), runStartedAt = '2026-11-20T06:00:00.000Z'): Manifest {
  return {
    manifestVersion: 1,
    dataset: 'charger_models_UK',
    sourceUrl: 'https://example.test/ncr.json',
    fetchedAt: runStartedAt,
    source: {},
    raw: { bytes: 1, sha256: 'r' },
    stats: { ...emptyStats(), devicesKept },
    csv: { key: 'k', uri: 'u', bytes: 1, sha256 },
    workflowId: 'wf',
    runId: 'run-1',
    runStartedAt,
    codeVersion: 'test',
  };
}

const options = { force: false, maxDropFraction: 0.3 };
const later = '2026-11-21T06:00:00.000Z';

describe('decidePublish', () => {
  it('publishes the first dataset without a guard, even an empty one', () => {
    expect(
      decidePublish(CHARGER_MODELS_DATASET, undefined, { csvSha256: 'b', kept: 0, runStartedAt: later }, options)
        .action,
    ).toBe('publish');
  });

  it('leaves the stable key alone when the CSV is identical', () => {
    expect(
      decidePublish(
        CHARGER_MODELS_DATASET,
        published(100),
        { csvSha256: 'a'.repeat(64), kept: 100, runStartedAt: later },
        options,
      ),
    ).toEqual({
      action: 'unchanged',
      reason: 'the CSV is identical to the published one',
    });
  });

  it('never lets an older run replace a newer one', () => {
    const decision = decidePublish(
      CHARGER_MODELS_DATASET,
      published(100, 'a', later),
      { csvSha256: 'b', kept: 100, runStartedAt: '2026-11-20T00:00:00.000Z' },
      options,
    );
    expect(decision.action).toBe('superseded');
  });

  it('refuses a drop above the limit and accepts one at the limit', () => {
    expect(
      decidePublish(CHARGER_MODELS_DATASET, published(100), { csvSha256: 'b', kept: 69, runStartedAt: later }, options),
    ).toMatchObject({
      action: 'refused',
      reason: expect.stringContaining('from 100 to 69 (-31.0%, limit 30%)'),
    });
    expect(
      decidePublish(CHARGER_MODELS_DATASET, published(100), { csvSha256: 'b', kept: 70, runStartedAt: later }, options)
        .action,
    ).toBe('publish');
  });

  it('refuses zero devices after a non-empty publish', () => {
    expect(
      decidePublish(CHARGER_MODELS_DATASET, published(100), { csvSha256: 'b', kept: 0, runStartedAt: later }, options)
        .action,
    ).toBe('refused');
  });

  it('force overrides the guard but not the ordering of runs', () => {
    const forced = { ...options, force: true };
    expect(
      decidePublish(CHARGER_MODELS_DATASET, published(100), { csvSha256: 'b', kept: 0, runStartedAt: later }, forced),
    ).toEqual({
      action: 'publish',
      reason: 'forced',
    });
    expect(
      decidePublish(
        CHARGER_MODELS_DATASET,
        published(100, 'a', later),
        { csvSha256: 'b', kept: 0, runStartedAt: '2026-11-20T00:00:00.000Z' },
        forced,
      ),
    ).toEqual({
      action: 'superseded',
      reason: `run run-1 started later (${later}) and has already published`,
    });
  });
});

describe('decidePublish for charge_points_UK', () => {
  const publishedChargePoints = (evsesKept: number): ChargePointsManifest => ({
    manifestVersion: 1,
    dataset: 'charge_points_UK',
    stats: { ...emptyChargePointStats(), evsesKept },
    csv: { key: 'k', uri: 'u', bytes: 1, sha256: 'a'.repeat(64) },
    feeds: { ok: 1, skipped: 0, disabled: 0, stale: 0, failed: 0, expired: 0, feedsKey: 'f', feedsUri: 'f' },
    workflowId: 'wf',
    runId: 'run-1',
    runStartedAt: '2026-11-20T06:00:00.000Z',
    codeVersion: 'test',
  });
  const decide = (publishedKept: number, kept: number) =>
    decidePublish(
      CHARGE_POINTS_DATASET,
      publishedChargePoints(publishedKept),
      { csvSha256: 'b', kept, runStartedAt: later },
      options,
    );

  it('guards on evsesKept, naming it', () => {
    expect(decide(80_000, 55_999)).toEqual({
      action: 'refused',
      reason: 'evsesKept fell from 80000 to 55999 (-30.0%, limit 30%)',
    });
    expect(decide(80_000, 56_000).action).toBe('publish');
    expect(decide(80_000, 0)).toEqual({ action: 'refused', reason: 'evsesKept fell from 80000 to 0' });
  });
});
