import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { recordedBody, recordedExchange } from './recordedFeeds';

/** What a feed answers one request with. */
export interface FeedReply {
  status: number;
  body: Buffer | string;
  headers: Record<string, string>;
}

/** Answers a request, given its absolute URL, as a feed would. */
export type FeedReplier = (url: URL) => FeedReply;

/** A recorded feed as served locally: its catalogue id and name, its path, and how it pages. */
export interface SampleFeed {
  id: string;
  name: string;
  path: string;
  reply: FeedReplier;
}

const BAD_OFFSET: FeedReply = {
  status: 400,
  body: '{"status_code":2001,"status_message":"bad offset"}',
  headers: { 'Content-Type': 'application/json' },
};

interface OffsetPage {
  body: Buffer;
  offset: number;
  items: number;
}

/** Each OCPI envelope page with the number of Locations before it. */
function pagesWithOffsets(pages: Buffer[]): OffsetPage[] {
  let offset = 0;
  return pages.map((body) => {
    const items = (JSON.parse(body.toString('utf8')) as { data: unknown[] }).data.length;
    const page = { body, offset, items };
    offset += items;
    return page;
  });
}

function countHeaders(pages: OffsetPage[]): Record<string, string> {
  const total = pages.reduce((sum, page) => sum + page.items, 0);
  return { 'X-Total-Count': String(total), 'X-Limit': String(Math.max(...pages.map((page) => page.items))) };
}

function pageAt(pages: OffsetPage[], url: URL): number {
  return pages.findIndex((page) => page.offset === Number(url.searchParams.get('offset') ?? 0));
}

/**
 * char.gy's style: page n at `?offset=<items before it>`, each but the last with
 * `Link: <next>; rel="next"`, all with X-Total-Count and X-Limit (the largest page).
 */
export function linkPages(pages: Buffer[]): FeedReplier {
  const paged = pagesWithOffsets(pages);
  return (url) => {
    const index = pageAt(paged, url);
    if (index < 0) return BAD_OFFSET;
    const next = paged[index + 1];
    const link: Record<string, string> =
      next === undefined ? {} : { Link: `<${url.origin}${url.pathname}?offset=${next.offset}>; rel="next"` };
    return { status: 200, body: paged[index].body, headers: { ...link, ...countHeaders(paged) } };
  };
}

/** OCPI offset paging: `?offset=&limit=` chooses the page; X-Total-Count and X-Limit say how many, no Link. */
export function offsetPages(pages: Buffer[]): FeedReplier {
  const paged = pagesWithOffsets(pages);
  return (url) => {
    const index = pageAt(paged, url);
    return index < 0 ? BAD_OFFSET : { status: 200, body: paged[index].body, headers: countHeaders(paged) };
  };
}

/** One response, whatever the query, with the headers the feed sent. */
export function singleResponse(body: Buffer | string, headers: Record<string, string> = {}): FeedReplier {
  return () => ({ status: 200, body, headers });
}

/**
 * The five recorded feeds (assets/open-data/), each in the paging style its
 * operator uses: char.gy Link pages, GeniePoint one response with X-Limit 0,
 * Mer UK one response with a WordPress Link (no rel="next"), Jolt one plain
 * response, ChargePlace Scotland OCPI offset paging.
 */
export function recordedSampleFeeds(): SampleFeed[] {
  const genie = recordedExchange('geniepoint/locations_page1.json').response.headers;
  return [
    {
      id: 'chargy',
      name: 'char.gy',
      path: '/chargy/locations',
      reply: linkPages([recordedBody('chargy/locations_page1.json'), recordedBody('chargy/locations_page2.json')]),
    },
    {
      id: 'geniepoint',
      name: 'GeniePoint',
      path: '/geniepoint/locations',
      reply: singleResponse(recordedBody('geniepoint/locations_page1.json'), {
        'X-Total-Count': genie['x-total-count'],
        'X-Limit': genie['x-limit'],
      }),
    },
    {
      id: 'mer_uk',
      name: 'Mer UK',
      path: '/mer/data',
      reply: singleResponse(recordedBody('mer_uk/data.json'), {
        Link: recordedExchange('mer_uk/data.json').response.headers.link,
      }),
    },
    { id: 'jolt', name: 'Jolt', path: '/jolt/locations', reply: singleResponse(recordedBody('jolt/locations.json')) },
    {
      id: 'chargeplace_scotland',
      name: 'ChargePlace Scotland',
      path: '/cps/locations/2463',
      reply: offsetPages([recordedBody('chargeplace_scotland/locations_page1.json')]),
    },
  ];
}

export interface SampleFeedServers {
  /** The served feeds as catalogue entries (feeds/uk-operators.yaml's form). */
  catalogue: Array<{ id: string; name: string; url: string; minIntervalMs: number }>;
  close(): Promise<void>;
}

/**
 * Serves each recorded feed on its own port of 127.0.0.1, so the demo's open-data
 * run is offline and, like operators on their own hosts, fetches the feeds in
 * parallel (a run takes the feeds of one host one after another). `minIntervalMs`
 * goes into the catalogue entries; the real feeds want 1 s or more.
 */
export async function startSampleFeeds(
  feeds: SampleFeed[] = recordedSampleFeeds(),
  { minIntervalMs = 20 }: { minIntervalMs?: number } = {},
): Promise<SampleFeedServers> {
  const servers = await Promise.all(feeds.map((feed) => serveFeed(feed)));
  return {
    catalogue: feeds.map((feed, index) => ({
      id: feed.id,
      name: feed.name,
      url: `${servers[index].origin}${feed.path}`,
      minIntervalMs,
    })),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

async function serveFeed(feed: SampleFeed): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    if (request.method !== 'GET' || url.pathname !== feed.path) {
      response.writeHead(404).end();
      return;
    }
    const reply = feed.reply(url);
    const body = Buffer.from(reply.body);
    response.writeHead(reply.status, {
      'Content-Type': 'application/json',
      ...reply.headers,
      'Content-Length': String(body.length),
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A catalogue file in a new temporary directory; `remove` deletes the directory. */
export async function writeCatalogue(
  entries: ReadonlyArray<Record<string, unknown>>,
): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'uk-chargers-feeds-'));
  const path = join(dir, 'feeds.yaml');
  await writeFile(path, stringify({ feeds: entries }), 'utf8');
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
