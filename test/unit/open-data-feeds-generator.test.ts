import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBenchCatalogue } from '../../bench/openData/benchCatalogue';
import { FEED_COUNT, simulatedFeeds } from '../../bench/openData/feedSet';
import { serveFeeds } from '../../bench/openData/feedServers';
import { offlineTransform } from '../../bench/openData/offlineTransform';
import { ensureOpenDataFeeds } from '../../bench/openData/writeFeeds';
import { loadCatalogue } from '../../src/feeds/catalogue';
import { createFeedSource } from '../../src/feeds/feedSource';
import { openBlobStore } from '../../src/storage/openBlobStore';

describe('open-data benchmark feeds', () => {
  const directory = mkdtemp(join(tmpdir(), 'open-data-feeds-'));
  afterAll(async () => rm(await directory, { recursive: true, force: true }));
  const generated = (async () => ensureOpenDataFeeds(await directory, { evses: 6_000, seed: 3 }))();

  it('splits exactly the EVSEs asked for over 60 feeds, unevenly and the same way for a seed', () => {
    const feeds = simulatedFeeds(80_000, 1);
    expect(feeds).toHaveLength(FEED_COUNT);
    expect(feeds.reduce((sum, feed) => sum + feed.evses, 0)).toBe(80_000);
    const sizes = feeds.map((feed) => feed.evses).sort((a, b) => b - a);
    expect(sizes[0]).toBeGreaterThan(20 * sizes.at(-1)!);
    expect(new Set(feeds.map((feed) => feed.name)).size).toBe(FEED_COUNT);
    expect(simulatedFeeds(80_000, 1)).toEqual(feeds);
    expect(new Set(feeds.map((feed) => feed.paging))).toEqual(new Set(['link', 'offset', 'single']));
    expect(new Set(feeds.map((feed) => feed.shape))).toEqual(new Set(['body', 'data', 'locations']));
  });

  it('writes bodies whose EVSEs, REMOVED and duplicates the offline transform counts as the generator did', async () => {
    const { directory: feedsDir, manifest } = await generated;
    expect(manifest.expected.evsesSeen).toBe(6_000);
    expect(manifest.expected.evsesRemoved).toBeGreaterThan(0);
    expect(manifest.expected.duplicatesDropped).toBeGreaterThan(0);
    const offline = await offlineTransform(feedsDir, manifest);
    expect(offline.stats).toMatchObject(manifest.expected);
    const firstPage = manifest.feeds[0].pages[0];
    const body = JSON.parse(await readFile(join(feedsDir, firstPage.file), 'utf8')) as unknown;
    const array = Array.isArray(body) ? body : (body as Record<string, unknown>)[manifest.feeds[0].feed.shape];
    expect(array).toHaveLength(firstPage.items);
  });

  it('is reused while the options match', async () => {
    const again = await ensureOpenDataFeeds(await directory, { evses: 6_000, seed: 3 });
    expect(again.reused).toBe(true);
    expect(again.manifest).toEqual((await generated).manifest);
  });

  it("serves each feed's pages in its paging style, as the worker's feed source follows them", async () => {
    const { directory: feedsDir, manifest } = await generated;
    const servers = await serveFeeds(feedsDir, manifest);
    const output = await mkdtemp(join(tmpdir(), 'open-data-fetched-'));
    try {
      const cataloguePath = join(output, 'feeds.yaml');
      await writeBenchCatalogue(cataloguePath, manifest, servers);
      const catalogue = loadCatalogue(cataloguePath);
      const source = createFeedSource();
      const store = openBlobStore(`file:${output}`);
      const fetched = [];
      for (const feed of catalogue.feeds) {
        let url: string | undefined;
        let items = 0;
        let pages = 0;
        for (;;) {
          const page = await source.fetchPage(feed, { url, itemsBefore: items, store, key: `${feed.id}/${++pages}` });
          if (page.outcome !== 'fetched') throw new Error(`${feed.id}: ${page.outcome}`);
          items += page.items;
          if (page.nextUrl === undefined) break;
          url = page.nextUrl;
        }
        fetched.push({ id: feed.id, items, pages });
      }
      expect(fetched).toEqual(
        manifest.feeds.map((feed) => ({ id: feed.feed.id, items: feed.items, pages: feed.pages.length })),
      );
      expect(servers.pagesServed()).toBe(manifest.pages);
      expect(new Set(catalogue.feeds.map((feed) => new URL(feed.url).host)).size).toBe(FEED_COUNT);
    } finally {
      await servers.close();
      await rm(output, { recursive: true, force: true });
    }
  });
});
