import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { readPublishedManifest } from '../../src/publish/publishedManifest';
import { emptyChargePointStats } from '../../src/domain/chargePointStats';
import { CHARGE_POINTS_DATASET, CHARGER_MODELS_DATASET } from '../../src/domain/datasets';
import { StorageError } from '../../src/domain/errors';
import { emptyStats } from '../../src/domain/stats';
import { FileStore } from '../../src/storage/fileStore';

const dirs: string[] = [];
let store: FileStore;

beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'uk-chargers-manifest-'));
  dirs.push(dir);
  store = new FileStore(dir);
});

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readPublishedManifest', () => {
  it('finds nothing before the first publish', async () => {
    expect(await readPublishedManifest(store, CHARGER_MODELS_DATASET)).toEqual({});
  });

  it('returns the manifest with the etag of the version read', async () => {
    const manifest = {
      runId: 'r1',
      runStartedAt: '2026-11-20T06:00:00.000Z',
      csv: { key: 'history/2026-11-20/r1/charger_models_UK.csv', sha256: 'abc', bytes: 3 },
      stats: emptyStats(),
    };
    const written = await store.put('manifest.json', JSON.stringify(manifest));
    expect(await readPublishedManifest(store, CHARGER_MODELS_DATASET)).toEqual({ manifest, etag: written.etag });
  });

  it.each([
    ['not JSON', '{"runId": ', /is not valid JSON/],
    ['JSON of another shape', '{"runId": "r1"}', /lacks the fields the publish guard compares/],
  ])('fails permanently on a manifest that is %s, saying how to recover', async (_what, body, problem) => {
    await store.put('manifest.json', body);
    const error = await readPublishedManifest(store, CHARGER_MODELS_DATASET).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      retryable: false,
      details: { uri: store.uriFor('manifest.json'), operation: 'readManifest' },
    });
    expect((error as StorageError).message).toMatch(problem);
    expect((error as StorageError).message).toContain('restore it from history/ or delete it to publish afresh');
  });
});

describe('readPublishedManifest for charge_points_UK', () => {
  const manifest = {
    runId: 'r1',
    runStartedAt: '2026-11-20T06:00:00.000Z',
    csv: { key: 'history/2026-11-20/r1/charge_points_UK.csv', sha256: 'abc', bytes: 3 },
    stats: emptyChargePointStats(),
  };

  it('reads charge_points_UK.manifest.json, not the charger-models manifest.json beside it', async () => {
    await store.put('manifest.json', JSON.stringify({ ...manifest, runId: 'charger-models-run', stats: emptyStats() }));
    expect(await readPublishedManifest(store, CHARGE_POINTS_DATASET)).toEqual({});

    const written = await store.put('charge_points_UK.manifest.json', JSON.stringify(manifest));
    expect(await readPublishedManifest(store, CHARGE_POINTS_DATASET)).toEqual({ manifest, etag: written.etag });
  });

  it('fails permanently on a manifest without the evsesKept its guard compares', async () => {
    await store.put('charge_points_UK.manifest.json', JSON.stringify({ ...manifest, stats: emptyStats() }));
    const error = await readPublishedManifest(store, CHARGE_POINTS_DATASET).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({
      retryable: false,
      details: { uri: store.uriFor('charge_points_UK.manifest.json'), operation: 'readManifest' },
    });
    expect((error as StorageError).message).toMatch(/lacks the fields the publish guard compares/);
  });
});
