import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { PayloadError, SourceError } from '../../src/domain/errors';
import { PageLoopGuard, type FeedDefinition, type FeedPage } from '../../src/domain/feed';
import { parseCatalogue } from '../../src/feeds/catalogue';
import { firstPageUrl } from '../../src/feeds/paging';
import { createFeedSource, type FeedSourceOptions } from '../../src/feeds/feedSource';
import { FileStore } from '../../src/storage/fileStore';
import { FeedServer, serveRecordedFeeds } from '../support/feedServer';
import { recordedBody } from '../support/openDataFixtures';

/** Sentinel secrets: they must reach the feed server and nothing else. */
const JOLT_KEY = 'JOLT-SENTINEL-7f3a';
const ECO_TOKEN = 'ECO-SENTINEL-91c2';
const env = { JOLT_API_KEY: JOLT_KEY, ECO_TOKEN };

let server: FeedServer;
let feeds: Map<string, FeedDefinition>;
let store: FileStore;

function feedsOf(entries: Record<string, unknown>[]): Map<string, FeedDefinition> {
  const { feeds: parsed } = parseCatalogue(stringify({ feeds: entries }), 'test feeds');
  return new Map(parsed.map((feed) => [feed.id, feed]));
}

beforeAll(async () => {
  server = await FeedServer.start();
  feeds = feedsOf(serveRecordedFeeds(server, { joltApiKey: JOLT_KEY, ecoToken: ECO_TOKEN }));
  store = new FileStore(mkdtempSync(join(tmpdir(), 'feed-pages-')));
});
afterAll(() => server.close());

/** Every page of a feed, following nextUrl as a workflow would, with the loop guard. */
async function fetchAll(feed: FeedDefinition, options: FeedSourceOptions = { env }): Promise<FeedPage[]> {
  const source = createFeedSource(options);
  const pages: FeedPage[] = [];
  let url: string | undefined;
  const guard = new PageLoopGuard(feed.id, firstPageUrl(feed));
  for (;;) {
    const itemsBefore = pages.reduce((sum, page) => sum + page.items, 0);
    const key = `pages/${feed.id}/${pages.length + 1}.json`;
    const result = await source.fetchPage(feed, { url, itemsBefore, store, key });
    if (result.outcome !== 'fetched') throw new Error(`${feed.id}: ${result.outcome}`);
    pages.push(result);
    if (result.nextUrl === undefined) return pages;
    const problem = guard.follow(result.nextUrl);
    if (problem !== undefined) throw new PayloadError(problem);
    url = result.nextUrl;
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('feedSource against the recorded feeds', () => {
  it('fetches every shape and paging style, staging each page whole with its size, sha256, items and shape', async () => {
    const summary = async (id: string) =>
      (await fetchAll(feeds.get(id)!)).map(({ items, shape, nextUrl, status }) => ({ items, shape, nextUrl, status }));
    expect(await summary('chargy')).toEqual([
      { status: 200, items: 2, shape: 'data', nextUrl: server.url('/chargy/locations?offset=2') },
      { status: 200, items: 2, shape: 'data', nextUrl: undefined },
    ]);
    expect(await summary('geniepoint')).toEqual([{ status: 200, items: 5, shape: 'data', nextUrl: undefined }]);
    expect(await summary('mer_uk')).toEqual([
      { status: 200, items: expect.any(Number) as number, shape: 'data.locations.data', nextUrl: undefined },
    ]);
    expect(await summary('jolt')).toEqual([
      { status: 200, items: expect.any(Number) as number, shape: 'locations', nextUrl: undefined },
    ]);
    expect(await summary('chargeplace_scotland')).toEqual([
      { status: 200, items: 6, shape: 'data', nextUrl: undefined },
    ]);
    expect(await summary('eco')).toEqual([
      { status: 200, items: 4, shape: 'data', nextUrl: server.url('/eco/locations?limit=4&offset=4') },
      { status: 200, items: 2, shape: 'data', nextUrl: undefined },
    ]);
    expect(
      server.requests.filter((request) => request.path === '/eco/locations').map((request) => request.url),
    ).toEqual(['/eco/locations?limit=4', '/eco/locations?limit=4&offset=4']);

    const [page] = await fetchAll(feeds.get('geniepoint')!);
    const served = recordedBody('geniepoint/locations_page1.json');
    const staged = await readFile(join(store.rootDir, page.key));
    expect(staged.equals(served)).toBe(true);
    expect(page).toMatchObject({ bytes: served.length, sha256: sha256(served), key: 'pages/geniepoint/1.json' });
    expect(Date.parse(page.fetchedAt)).not.toBeNaN();
  });

  it("ignores Mer's Link to the WordPress API root: it is not rel=next", async () => {
    const pages = await fetchAll(feeds.get('mer_uk')!);
    expect(pages).toHaveLength(1);
    expect(pages[0].nextUrl).toBeUndefined();
  });

  it('stops a paging loop: a next link pointing at the page itself', async () => {
    server.serveResponse('/loop/locations', recordedBody('chargy/locations_page1.json'), {
      headers: { Link: '</loop/locations>; rel="next"' },
    });
    const [loop] = feedsOf([{ id: 'loop', name: 'Loop', url: server.url('/loop/locations') }]).values();
    const error = await rejection(fetchAll(loop));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error.message).toBe(
      `feed loop: paging loop: the next page ${server.url('/loop/locations')} was already fetched (after 1 pages)`,
    );
  });

  it('sends header and query credentials from the environment, and keeps them out of results and messages', async () => {
    const requestsBefore = server.requests.length;
    const [jolt] = await fetchAll(feeds.get('jolt')!);
    await fetchAll(feeds.get('eco')!);
    const sent = server.requests.slice(requestsBefore);
    expect(sent.find((request) => request.path === '/jolt/locations')!.url).toBe(`/jolt/locations?apiKey=${JOLT_KEY}`);
    expect(sent.filter((request) => request.path === '/eco/locations').map((r) => r.headers.authorization)).toEqual([
      `Token ${ECO_TOKEN}`,
      `Token ${ECO_TOKEN}`,
    ]);
    expect(JSON.stringify(jolt)).not.toContain('SENTINEL');

    // A link that echoes the key comes back without it; failures name the URL with the key redacted.
    server.serveResponse('/jolt-echo/locations', recordedBody('jolt/locations.json'), {
      requires: { query: 'apiKey', secret: JOLT_KEY },
      headers: { Link: `</jolt-echo/locations?apiKey=${JOLT_KEY}&page=2>; rel="next"` },
    });
    const [echo] = feedsOf([
      {
        id: 'echo',
        name: 'Echo',
        url: server.url('/jolt-echo/locations'),
        auth: { query: 'apiKey', secretEnv: 'JOLT_API_KEY' },
      },
    ]).values();
    const source = createFeedSource({ env });
    const page = await source.fetchPage(echo, { store, key: 'pages/echo/1.json' });
    expect(page).toMatchObject({ outcome: 'fetched', nextUrl: server.url('/jolt-echo/locations?page=2') });
    server.failNext('/jolt-echo/locations', [{ status: 403, body: `forbidden for key ${JOLT_KEY}` }]);
    server.failNext('/eco/locations', [{ status: 500, body: `Token ${ECO_TOKEN} rejected` }]);
    const messages = [
      (await rejection(source.fetchPage(echo, { store, key: 'pages/echo/1.json' }))).message,
      (await rejection(source.fetchPage(feeds.get('eco')!, { store, key: 'pages/eco/1.json' }))).message,
    ];
    expect(messages[0]).toBe(
      `feed echo returned 403 Forbidden for ${server.url('/jolt-echo/locations?apiKey=REDACTED')}`,
    );
    expect(messages.join('\n')).not.toContain('SENTINEL');
  });

  it('returns secret-missing, naming the variable, and sends nothing when the secret is not set', async () => {
    const requestsBefore = server.requests.length;
    const source = createFeedSource({ env: { JOLT_API_KEY: '  ' } });
    expect(await source.fetchPage(feeds.get('jolt')!, { store, key: 'pages/jolt/x.json' })).toEqual({
      outcome: 'secret-missing',
      secretEnv: 'JOLT_API_KEY',
    });
    expect(await source.fetchPage(feeds.get('eco')!, { store, key: 'pages/eco/x.json' })).toEqual({
      outcome: 'secret-missing',
      secretEnv: 'ECO_TOKEN',
    });
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('classifies 429 and 503 with Retry-After as retryable with retryAfterMs, 404 as final naming the URL', async () => {
    const chargy = feeds.get('chargy')!;
    const source = createFeedSource({ env });
    server.failNext('/chargy/locations', [
      { status: 429, retryAfter: 7 },
      { status: 503, retryAfter: 2 },
      { status: 404 },
    ]);
    const tooMany = (await rejection(source.fetchPage(chargy, { store, key: 'pages/c.json' }))) as SourceError;
    expect(tooMany).toBeInstanceOf(SourceError);
    expect(tooMany).toMatchObject({ retryable: true, details: { status: 429, retryAfterMs: 7000 } });
    const unavailable = (await rejection(source.fetchPage(chargy, { store, key: 'pages/c.json' }))) as SourceError;
    expect(unavailable).toMatchObject({ retryable: true, details: { status: 503, retryAfterMs: 2000 } });
    const notFound = (await rejection(source.fetchPage(chargy, { store, key: 'pages/c.json' }))) as SourceError;
    expect(notFound).toMatchObject({ retryable: false, details: { status: 404 } });
    expect(notFound.message).toBe(`feed chargy returned 404 Not Found for ${server.url('/chargy/locations')}`);
    expect(await store.head('pages/c.json')).toBeUndefined();
  });

  it('fails a body that stalls (retryable), one of the wrong shape (naming its keys), and a next page on another host', async () => {
    const chargy = feeds.get('chargy')!;
    server.failNext('/chargy/locations', [{ stallAfterBytes: 100, stallMs: 5_000 }]);
    const stalled = await rejection(
      createFeedSource({ env, idleTimeoutMs: 300 }).fetchPage(chargy, { store, key: 'pages/stall.json' }),
    );
    expect(stalled).toMatchObject({ retryable: true });
    expect(stalled.message).toMatch(/no data for 300 ms/);
    expect(await store.head('pages/stall.json')).toBeUndefined();

    server.serveResponse('/shape/locations', '{"result":[],"count":0}');
    const [shape] = feedsOf([{ id: 'shape', name: 'S', url: server.url('/shape/locations') }]).values();
    const wrongShape = await rejection(createFeedSource().fetchPage(shape, { store, key: 'pages/shape.json' }));
    expect(wrongShape).toBeInstanceOf(PayloadError);
    expect(wrongShape.message).toBe(
      `page ${server.url('/shape/locations')}: no Location array in the body: none of data, locations, data.locations.data or data.locations is an array (found keys "result", "count")`,
    );

    const offHost = await rejection(
      createFeedSource().fetchPage(chargy, { url: 'http://localhost:1/chargy/locations', store, key: 'pages/x.json' }),
    );
    expect(offHost).toMatchObject({ retryable: false });
    expect(offHost.message).toMatch(/host localhost is not in the allowed hosts \(127\.0\.0\.1\)/);
  });
});
