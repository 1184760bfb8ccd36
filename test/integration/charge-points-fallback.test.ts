import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargePointsReport, FeedHealth, FeedSnapshotInfo } from '../../src/domain/chargePointsRun';
import { snapshotInfoKey } from '../../src/domain/feedKeys';
import type { BlobStore } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { readPublishedChargePoints } from '../support/chargePointsRuns';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { writeFeedCatalogue, type FeedCatalogueFile } from '../support/feedCatalogueFile';
import { chargePointsDepsWithSecrets } from '../support/feedSecretsDeps';
import { FeedServer } from '../support/feedServer';
import { serveFixtureFeeds, type ServedFeed } from '../support/fixtureFeeds';
import { offlineChargePoints } from '../support/offlineChargePoints';
import { createBucket, uniqueBucketName } from '../support/services';

/**
 * Issue 10, "Tests": one feed failing permanently (404) while the others succeed.
 * The run publishes; the failed feed's last good snapshot from an earlier run
 * stands in for it (`stale`), unless it has none (`failed`) or it is older than
 * FEED_MAX_STALE (`expired`).
 */
const SECRETS = { joltApiKey: 'unused-jolt', ecoToken: 'unused-eco' };

let server: FeedServer;
let fixtures: ServedFeed[];
let catalogue: FeedCatalogueFile;
let harness: EtlHarness;
/** A worker for which every snapshot is too old. */
let strictHarness: EtlHarness;
let bucket: string;

beforeAll(async () => {
  server = await FeedServer.start();
  fixtures = serveFixtureFeeds(server, SECRETS);
  catalogue = await writeFeedCatalogue(fixtures.map((feed) => feed.entry));
  bucket = await createBucket(uniqueBucketName('charge-points-fallback'));
  const deps = chargePointsDepsWithSecrets({});
  [harness, strictHarness] = await Promise.all([
    startEtlHarness({ FEEDS_FILE: catalogue.path }, { chargePointsDeps: deps }),
    startEtlHarness({ FEEDS_FILE: catalogue.path, FEED_MAX_STALE: '1ms' }, { chargePointsDeps: deps }),
  ]);
});

afterAll(async () => {
  await Promise.all([harness?.stop(), strictHarness?.stop()]);
  await server?.close();
  await catalogue?.remove();
});

function store(prefix: string): BlobStore {
  return openBlobStore(`s3://${bucket}/${prefix}`);
}

async function run(on: EtlHarness, feeds: string[], prefix: string): Promise<ChargePointsReport> {
  return (await on.startChargePoints({ feeds, destination: `s3://${bucket}/${prefix}` })).result();
}

function healthOf(report: { feeds: FeedHealth[] }, id: string): FeedHealth {
  const health = report.feeds.find((feed) => feed.id === id);
  if (health === undefined) throw new Error(`no feed ${id} in ${JSON.stringify(report.feeds)}`);
  return health;
}

/** The offline CSV of these fixture feeds, in catalogue order. */
async function offlineCsv(ids: string[]): Promise<Buffer> {
  const feeds = fixtures.filter((feed) => ids.includes(feed.entry.id));
  return (await offlineChargePoints(feeds.map((feed) => ({ name: feed.entry.name, pages: feed.pages })))).csv;
}

/** The next request for the feed's first page answers 404: the feed fails at once, with no retry. */
function failPermanently(id: string): void {
  const feed = fixtures.find((each) => each.entry.id === id)!;
  server.failNext(new URL(feed.entry.url).pathname, [{ status: 404 }]);
}

describe('a feed failing while the others succeed', () => {
  it('with a snapshot from an earlier run: published, that feed stale with the snapshot and its fetchedAt', async () => {
    const first = await run(harness, ['chargy', 'geniepoint'], 'stale/');
    expect(first.published).toBe(true);
    const fetchedAt = healthOf(first, 'geniepoint').fetchedAt;
    expect(fetchedAt).toBeDefined();

    failPermanently('geniepoint');
    const second = await run(harness, ['chargy', 'geniepoint', 'chargeplace_scotland'], 'stale/');

    expect(second.published).toBe(true);
    expect(second.feeds.map((feed) => [feed.id, feed.status])).toEqual([
      ['chargy', 'ok'],
      ['geniepoint', 'stale'],
      ['chargeplace_scotland', 'ok'],
    ]);
    const stale = healthOf(second, 'geniepoint');
    expect(stale.fetchedAt).toBe(fetchedAt);
    expect(stale.evsesKept).toBe(healthOf(first, 'geniepoint').evsesKept);
    expect(stale.lastError).toContain('404');
    expect(stale.lastError).toContain(server.url('/geniepoint/locations'));
    const snapshot = JSON.parse(
      await text(await store('stale/').get(snapshotInfoKey('geniepoint'))),
    ) as FeedSnapshotInfo;
    expect(snapshot.fetchedAt).toBe(fetchedAt);
    // The snapshot stands in for the feed byte for byte.
    const published = await readPublishedChargePoints(store('stale/'));
    expect(published.csv.equals(await offlineCsv(['chargy', 'geniepoint', 'chargeplace_scotland']))).toBe(true);
    expect(healthOf(published, 'geniepoint')).toMatchObject({ status: 'stale', fetchedAt });
  });

  it('with no snapshot: published from the others, that feed failed', async () => {
    failPermanently('mer_uk');
    const report = await run(harness, ['chargy', 'mer_uk'], 'failed/');

    expect(report.published).toBe(true);
    expect(healthOf(report, 'chargy').status).toBe('ok');
    const failed = healthOf(report, 'mer_uk');
    expect(failed).toMatchObject({ status: 'failed', evsesKept: 0 });
    expect(failed.fetchedAt).toBeUndefined();
    expect(failed.lastError).toContain('404');
    expect(failed.lastError).toContain('no snapshot');
    const published = await readPublishedChargePoints(store('failed/'));
    expect(published.csv.equals(await offlineCsv(['chargy']))).toBe(true);
    expect(healthOf(published, 'mer_uk')).toMatchObject({ status: 'failed' });
  });

  it('with a snapshot older than FEED_MAX_STALE: published from the others, that feed expired', async () => {
    const first = await run(strictHarness, ['chargy', 'geniepoint'], 'expired/');
    expect(first.published).toBe(true);

    failPermanently('geniepoint');
    const second = await run(strictHarness, ['chargy', 'geniepoint', 'mer_uk'], 'expired/');

    expect(second.published).toBe(true);
    expect(second.feeds.map((feed) => [feed.id, feed.status])).toEqual([
      ['chargy', 'ok'],
      ['geniepoint', 'expired'],
      ['mer_uk', 'ok'],
    ]);
    const expired = healthOf(second, 'geniepoint');
    expect(expired.evsesKept).toBe(0);
    expect(expired.lastError).toContain('404');
    expect(expired.lastError).toContain('FEED_MAX_STALE');
    const published = await readPublishedChargePoints(store('expired/'));
    expect(published.csv.equals(await offlineCsv(['chargy', 'mer_uk']))).toBe(true);
  });
});
