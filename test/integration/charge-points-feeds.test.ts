import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargePointsReport, FeedHealth } from '../../src/domain/chargePointsRun';
import type { LocationArrayPath } from '../../src/domain/feed';
import type { BlobStore } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { feedChildResult, readPublishedChargePoints } from '../support/chargePointsRuns';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { writeFeedCatalogue, type CatalogueEntry, type FeedCatalogueFile } from '../support/feedCatalogueFile';
import { chargePointsDepsWithSecrets } from '../support/feedSecretsDeps';
import { FeedServer } from '../support/feedServer';
import { serveFixtureFeeds, type ServedFeed } from '../support/fixtureFeeds';
import { readBytes } from '../support/generatedBody';
import { offlineChargePoints } from '../support/offlineChargePoints';
import { recordedBody } from '../support/openDataFixtures';
import { createBucket, uniqueBucketName } from '../support/services';

/**
 * Issue 10, "Tests": charge-points runs over the recorded feeds, replayed by a
 * local feed server in their paging styles, through the real dev server and MinIO.
 * All feeds are on the feed server's host with no gap between requests.
 */
const SECRETS = {
  joltApiKey: `jolt-${randomBytes(6).toString('hex')}`,
  ecoToken: `eco-${randomBytes(6).toString('hex')}`,
};

let server: FeedServer;
let fixtures: ServedFeed[];
/** Feeds of single tests, beside the fixtures in the catalogue. */
let nonNextLink: ServedFeed;
let loop: CatalogueEntry;
let overlapping: ServedFeed;
let mirror: ServedFeed;
let catalogue: FeedCatalogueFile;
let harness: EtlHarness;
let bucket: string;

beforeAll(async () => {
  server = await FeedServer.start();
  fixtures = serveFixtureFeeds(server, SECRETS);
  const entry = (id: string, name: string, path: string): CatalogueEntry => ({
    id,
    name,
    url: server.url(path),
    minIntervalMs: 0,
  });

  // Links to other pages, none of them rel="next": the feed is one page.
  const genie = recordedBody('geniepoint/locations_page1.json');
  server.serveResponse('/links/locations', genie, {
    headers: {
      Link: `<${server.url('/links/locations?offset=0')}>; rel="prev", <${server.url('/links/locations?offset=5')}>; rel="last"`,
    },
  });
  nonNextLink = { entry: entry('links', 'Links', '/links/locations'), pages: [genie], shape: 'data' };

  // Page b's next link points back at page a.
  const [chargy1, chargy2] = [recordedBody('chargy/locations_page1.json'), recordedBody('chargy/locations_page2.json')];
  server.serveResponse('/loop/a', chargy1, { headers: { Link: `<${server.url('/loop/b')}>; rel="next"` } });
  server.serveResponse('/loop/b', chargy2, { headers: { Link: `<${server.url('/loop/a')}>; rel="next"` } });
  loop = entry('loop', 'Loop', '/loop/a');

  // ChargePlace Scotland's six Locations as pages of Locations 1–4 and 3–6, then all six again from a second feed.
  const cps = recordedBody('chargeplace_scotland/locations_page1.json');
  const envelope = JSON.parse(cps.toString('utf8')) as { data: unknown[] };
  const overlappingPages = [envelope.data.slice(0, 4), envelope.data.slice(2)].map((data) =>
    Buffer.from(JSON.stringify({ ...envelope, data })),
  );
  server.serveLinkPages('/overlap/locations', overlappingPages);
  server.serveResponse('/mirror/locations', cps);
  overlapping = { entry: entry('overlap', 'Overlap', '/overlap/locations'), pages: overlappingPages, shape: 'data' };
  mirror = { entry: entry('mirror', 'Mirror', '/mirror/locations'), pages: [cps], shape: 'data' };

  catalogue = await writeFeedCatalogue([
    ...fixtures.map((feed) => feed.entry),
    nonNextLink.entry,
    loop,
    overlapping.entry,
    mirror.entry,
  ]);
  bucket = await createBucket(uniqueBucketName('charge-points-feeds'));
  harness = await startEtlHarness(
    { FEEDS_FILE: catalogue.path },
    {
      chargePointsDeps: chargePointsDepsWithSecrets({ JOLT_API_KEY: SECRETS.joltApiKey, ECO_TOKEN: SECRETS.ecoToken }),
    },
  );
});

afterAll(async () => {
  await harness?.stop();
  await server?.close();
  await catalogue?.remove();
});

function store(prefix: string): BlobStore {
  return openBlobStore(`s3://${bucket}/${prefix}`);
}

async function run(feeds: string[], prefix: string): Promise<{ workflowId: string; report: ChargePointsReport }> {
  const handle = await harness.startChargePoints({ feeds, destination: `s3://${bucket}/${prefix}` });
  return { workflowId: handle.workflowId, report: await handle.result() };
}

function healthOf(report: ChargePointsReport, id: string): FeedHealth {
  const health = report.feeds.find((feed) => feed.id === id);
  if (health === undefined) throw new Error(`the report has no feed ${id}: ${JSON.stringify(report.feeds)}`);
  return health;
}

function requestsTo(path: string): string[] {
  return server.requests.filter((request) => request.path === path).map((request) => request.url);
}

/** The elements of a page's Location array, found where `shape` says. */
function locationItems(body: Buffer, shape: LocationArrayPath): number {
  const root = JSON.parse(body.toString('utf8')) as unknown;
  const at = (value: unknown, key: string): unknown => (value as Record<string, unknown>)[key];
  const array = shape === 'body' ? root : shape.split('.').reduce(at, root);
  return (array as unknown[]).length;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('charge-points run over the recorded feeds', () => {
  it('every shape and paging style of the fixtures: published, each feed ok with its pages and items, the CSV in MinIO', async () => {
    // Every Location array shape and every paging style is among them.
    expect(new Set(fixtures.map((feed) => feed.shape))).toEqual(
      new Set(['body', 'data', 'locations', 'data.locations.data', 'data.locations']),
    );
    const { workflowId, report } = await run(
      fixtures.map((feed) => feed.entry.id),
      'shapes/',
    );

    expect(report.published).toBe(true);
    expect(report.feeds.map((feed) => [feed.id, feed.status])).toEqual(fixtures.map((feed) => [feed.entry.id, 'ok']));
    let before = await offlineChargePoints([]);
    for (const [index, feed] of fixtures.entries()) {
      const { id } = feed.entry;
      const items = feed.pages.reduce((sum, page) => sum + locationItems(page, feed.shape), 0);
      // What the feed adds to the feeds before it (eco repeats ChargePlace Scotland's EVSEs, so adds none).
      const upTo = await offlineChargePoints(
        fixtures.slice(0, index + 1).map((each) => ({ name: each.entry.name, pages: each.pages })),
      );
      expect(healthOf(report, id), id).toMatchObject({
        pages: feed.pages.length,
        bytes: feed.pages.reduce((sum, page) => sum + page.length, 0),
        locations: upTo.stats.locationsSeen - before.stats.locationsSeen,
        evsesKept: upTo.stats.evsesKept - before.stats.evsesKept,
      });
      before = upTo;
      expect(await feedChildResult(harness.client, workflowId, id), id).toMatchObject({
        status: 'ok',
        pages: feed.pages.length,
        items,
        shapes: [feed.shape],
      });
      // One request per page: no page fetched twice.
      expect(requestsTo(new URL(feed.entry.url).pathname), id).toHaveLength(feed.pages.length);
    }
    expect(healthOf(report, 'eco')).toMatchObject({ pages: 2, evsesKept: 0 });

    const published = await readPublishedChargePoints(store('shapes/'));
    expect(sha256(published.csv)).toBe(report.csv.sha256);
    expect(published.csv.length).toBe(report.csv.bytes);
    expect(published.feeds.map((feed) => [feed.id, feed.status, feed.pages])).toEqual(
      report.feeds.map((feed) => [feed.id, feed.status, feed.pages]),
    );
    expect(report.csv.uri).toMatch(new RegExp(`^s3://${bucket}/shapes/history/\\d{4}-\\d{2}-\\d{2}/${report.runId}/`));
    const historyCsv = await readBytes(await store('').get(report.csv.uri.slice(`s3://${bucket}/`.length)));
    expect(historyCsv.equals(published.csv)).toBe(true);
    expect(published.manifest).toMatchObject({
      dataset: 'charge_points_UK',
      runId: report.runId,
      stats: report.stats,
      csv: { sha256: report.csv.sha256 },
      feeds: { ok: fixtures.length, failed: 0 },
    });
    // The pages staged for the run are gone once it published.
    const keys: string[] = [];
    for await (const object of store('shapes/').list('')) keys.push(object.key);
    expect(keys.filter((key) => key.startsWith('_staging/'))).toEqual([]);
    expect(report.stats.evsesKept).toBeGreaterThan(0);
  });

  it('a Link header without rel="next" is ignored: the feed is one page', async () => {
    const { workflowId, report } = await run(['links'], 'links/');

    expect(report.published).toBe(true);
    expect(healthOf(report, 'links')).toMatchObject({ status: 'ok', pages: 1 });
    expect(await feedChildResult(harness.client, workflowId, 'links')).toMatchObject({ pages: 1, items: 5 });
    expect(requestsTo('/links/locations')).toEqual(['/links/locations']);
    const published = await readPublishedChargePoints(store('links/'));
    expect(published.csv.equals((await offlineChargePoints([{ name: 'Links', pages: nonNextLink.pages }])).csv)).toBe(
      true,
    );
  });

  it('a next link pointing back at a fetched page is stopped as a paging loop: that feed failed, the others ok', async () => {
    const { report } = await run(['chargy', 'loop'], 'loop/');

    expect(report.published).toBe(true);
    expect(healthOf(report, 'chargy').status).toBe('ok');
    const looped = healthOf(report, 'loop');
    expect(looped).toMatchObject({ status: 'failed', evsesKept: 0 });
    expect(looped.lastError).toContain(
      `feed loop: paging loop: the next page ${server.url('/loop/a')} was already fetched`,
    );
    // Each page once, and nothing after the loop was seen.
    expect(requestsTo('/loop/a')).toEqual(['/loop/a']);
    expect(requestsTo('/loop/b')).toEqual(['/loop/b']);
    const published = await readPublishedChargePoints(store('loop/'));
    expect(published.feeds.find((feed) => feed.id === 'loop')).toMatchObject({ status: 'failed' });
    const chargy = fixtures.find((feed) => feed.entry.id === 'chargy')!;
    expect(published.csv.equals((await offlineChargePoints([{ name: 'char.gy', pages: chargy.pages }])).csv)).toBe(
      true,
    );
  });

  it('the same EVSEs on two pages of a feed and in two feeds are counted once', async () => {
    const { report } = await run(['overlap', 'mirror'], 'dedupe/');

    // The pages hold 9 EVSEs each, page 2 repeating Locations 3 and 4 (2 + 2 EVSEs); the mirror repeats all 14.
    expect(report.stats).toMatchObject({ evsesSeen: 9 + 9 + 14, duplicatesDropped: 4 + 14, evsesKept: 14 });
    expect(healthOf(report, 'overlap')).toMatchObject({ status: 'ok', pages: 2, evsesKept: 14 });
    expect(healthOf(report, 'mirror')).toMatchObject({ status: 'ok', pages: 1, evsesKept: 0 });
    // The CSV is that of the six Locations once, from the first feed.
    const once = await offlineChargePoints([{ name: 'Overlap', pages: mirror.pages }]);
    const published = await readPublishedChargePoints(store('dedupe/'));
    expect(published.csv.equals(once.csv)).toBe(true);
  });

  it('the published CSV is byte-identical to the offline transform of the same bodies', async () => {
    const feeds = [...fixtures, overlapping, mirror];
    const { report } = await run(
      feeds.map((feed) => feed.entry.id),
      'offline/',
    );
    const offline = await offlineChargePoints(feeds.map((feed) => ({ name: feed.entry.name, pages: feed.pages })));

    expect(report.published).toBe(true);
    const published = await readPublishedChargePoints(store('offline/'));
    expect(published.csv.toString('utf8')).toBe(offline.csv.toString('utf8'));
    expect(published.csv.equals(offline.csv)).toBe(true);
    expect(report.stats).toEqual(offline.stats);
    expect(report.csv.sha256).toBe(sha256(offline.csv));
  });
});
