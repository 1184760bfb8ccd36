import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import type { FeedFiles, OpenDataManifest } from './writeFeeds';

export interface FeedServers {
  /** The first page's URL of the feed `id`, as the catalogue gives it. */
  urlOf(id: string): string;
  /** Pages served so far (200 answers), all feeds together. */
  pagesServed(): number;
  close(): Promise<void>;
}

/**
 * One local HTTP server per simulated feed, each on its own port, so every feed is
 * its own host and up to FEEDS_MAX_CONCURRENCY of them are fetched at once. Each
 * reproduces its feed's paging (Link rel="next", X-Total-Count/X-Limit with
 * offset=, or one response), without rate limits, streaming the page bodies
 * from disk so no server holds the feeds in memory. Listens on 127.0.0.1 only.
 */
export async function serveFeeds(directory: string, manifest: OpenDataManifest): Promise<FeedServers> {
  const servers: Server[] = [];
  const urls = new Map<string, string>();
  let served = 0;
  try {
    for (const feed of manifest.feeds) {
      const server = createServer((request, response) => {
        const answer = answerFor(feed, request);
        if ('status' in answer) {
          response.writeHead(answer.status, { 'Content-Type': 'text/plain' }).end(answer.reason);
          return;
        }
        served += 1;
        response.writeHead(200, { 'Content-Type': 'application/json', ...answer.headers });
        pipeline(createReadStream(join(directory, answer.file), { highWaterMark: 1 << 20 }), response, () => undefined);
      });
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      const { port } = server.address() as AddressInfo;
      urls.set(feed.feed.id, `http://127.0.0.1:${port}${feed.feed.path}`);
    }
  } catch (error) {
    await closeAll(servers);
    throw error;
  }
  return {
    urlOf: (id) => {
      const url = urls.get(id);
      if (url === undefined) throw new Error(`no simulated feed ${id}`);
      return url;
    },
    pagesServed: () => served,
    close: () => closeAll(servers),
  };
}

type Answer = { file: string; headers: OutgoingHttpHeaders } | { status: number; reason: string };

/** The page a request asks for, with the headers saying what follows; or why there is none. */
function answerFor({ feed, pages, items }: FeedFiles, request: IncomingMessage): Answer {
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
  if (request.method !== 'GET') return { status: 405, reason: 'GET only' };
  if (url.pathname !== feed.path) return { status: 404, reason: `no feed at ${url.pathname}` };
  const total = { 'X-Total-Count': String(items) };
  const length = (index: number) => ({ 'Content-Length': String(pages[index].bytes) });

  if (feed.paging === 'single') {
    // As GeniePoint answers: everything at once, X-Limit 0.
    return { file: pages[0].file, headers: { ...total, 'X-Limit': '0', ...length(0) } };
  }
  const limit = { 'X-Limit': String(feed.pageSize) };
  if (feed.paging === 'link') {
    const page = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isSafeInteger(page) || page < 1 || page > pages.length) {
      return { status: 404, reason: `no page ${url.searchParams.get('page')}` };
    }
    const link = (to: number, rel: string) => `<${url.origin}${feed.path}?page=${to}>; rel="${rel}"`;
    const links = [link(1, 'first'), ...(page < pages.length ? [link(page + 1, 'next')] : [])];
    return { file: pages[page - 1].file, headers: { ...total, ...limit, Link: links.join(', '), ...length(page - 1) } };
  }
  const offset = Number(url.searchParams.get('offset') ?? '0');
  const asked = url.searchParams.get('limit');
  if (asked !== null && asked !== String(feed.pageSize)) {
    return { status: 400, reason: `limit must be ${feed.pageSize}, got ${asked}` };
  }
  const index = offset / feed.pageSize!;
  if (!Number.isSafeInteger(index) || index < 0 || index >= pages.length) {
    return { status: 400, reason: `offset ${url.searchParams.get('offset')} is not the start of a page` };
  }
  return { file: pages[index].file, headers: { ...total, ...limit, ...length(index) } };
}

async function closeAll(servers: readonly Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
}
