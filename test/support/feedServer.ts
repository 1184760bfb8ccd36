import type { IncomingHttpHeaders } from 'node:http';
import { FaultyRegistry, type DynamicAnswer, type Fault, type RecordedRequest } from './faultyRegistry';
import { recordedBody, recordedExchange } from './openDataFixtures';

/** The credential a feed route demands: a query parameter, or a header with exactly this value. */
export type RequiredCredential = { query: string; secret: string } | { header: string; value: string };

interface RouteOptions {
  /** Without it the route answers 401. */
  requires?: RequiredCredential;
}

/**
 * A local HTTP server replaying recorded open-data feeds, each with its
 * paging style: Link rel="next" pages, X-Total-Count / X-Limit offset pages, or
 * one response with whatever headers the feed sent. Every request is recorded
 * with its arrival time (`requests`), and the faults of FaultyRegistry (429 with
 * Retry-After, 5xx, 401/403/404, stalls, resets) are queued per path with
 * `failNext`. Listens on 127.0.0.1 only.
 */
export class FeedServer {
  private constructor(private readonly server: FaultyRegistry) {}

  static async start(): Promise<FeedServer> {
    return new FeedServer(await new FaultyRegistry().listen());
  }

  /** Every request received, in order, with `receivedAt`. */
  get requests(): readonly RecordedRequest[] {
    return this.server.requests;
  }

  get origin(): string {
    return this.server.origin;
  }

  url(path: string): string {
    return this.server.url(path);
  }

  /** Queues faults for the next requests to `path`, one per request. */
  failNext(path: string, faults: Fault[]): void {
    this.server.failNext(path, faults);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /**
   * char.gy's style: page n at `path?offset=<items before it>`, each but the last
   * with `Link: <next>; rel="next"`, all with
   * X-Total-Count and X-Limit (the largest page).
   */
  serveLinkPages(path: string, pages: Buffer[], options: RouteOptions = {}): void {
    const paged = pagesWithOffsets(pages);
    this.serve(path, options, (url) => {
      const index = paged.findIndex((page) => page.offset === Number(url.searchParams.get('offset') ?? 0));
      if (index < 0) return { refusal: { status: 400, body: '{"status_code":2001,"status_message":"bad offset"}' } };
      const next = paged[index + 1];
      const link: Record<string, string> =
        next === undefined ? {} : { Link: `<${this.url(`${path}?offset=${next.offset}`)}>; rel="next"` };
      return { fixture: { body: paged[index].body, headers: { ...link, ...countHeaders(paged) } } };
    });
  }

  /** OCPI offset paging: `?offset=&limit=` chooses the page; X-Total-Count and X-Limit say how many, no Link. */
  serveOffsetPages(path: string, pages: Buffer[], options: RouteOptions = {}): void {
    const paged = pagesWithOffsets(pages);
    this.serve(path, options, (url) => {
      const page = paged.find((candidate) => candidate.offset === Number(url.searchParams.get('offset') ?? 0));
      if (page === undefined)
        return { refusal: { status: 400, body: '{"status_code":2001,"status_message":"bad offset"}' } };
      return { fixture: { body: page.body, headers: countHeaders(paged) } };
    });
  }

  /** One response, whatever the query, with the headers given (GeniePoint's X-Limit 0, Mer's WordPress Link, …). */
  serveResponse(
    path: string,
    body: Buffer | string,
    options: RouteOptions & { headers?: Record<string, string> } = {},
  ): void {
    this.serve(path, options, () => ({ fixture: { body, headers: options.headers } }));
  }

  private serve(path: string, options: RouteOptions, answer: (url: URL) => DynamicAnswer): void {
    this.server.serveDynamic(path, (url, headers) =>
      credentialPresent(options.requires, url, headers)
        ? answer(url)
        : { refusal: { status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' } },
    );
  }
}

function credentialPresent(required: RequiredCredential | undefined, url: URL, headers: IncomingHttpHeaders): boolean {
  if (required === undefined) return true;
  if ('query' in required) return url.searchParams.get(required.query) === required.secret;
  return headers[required.header.toLowerCase()] === required.value;
}

interface OffsetPage {
  body: Buffer;
  offset: number;
  items: number;
}

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

/** An OCPI envelope's `data` split into pages of `perPage` Locations, each a copy of the envelope. */
export function splitEnvelope(body: Buffer, perPage: number): Buffer[] {
  const envelope = JSON.parse(body.toString('utf8')) as { data: unknown[] };
  const pages: Buffer[] = [];
  for (let start = 0; start < envelope.data.length; start += perPage) {
    pages.push(Buffer.from(JSON.stringify({ ...envelope, data: envelope.data.slice(start, start + perPage) })));
  }
  return pages;
}

/** The secrets the recorded feeds' credentialed routes demand. */
export interface FeedSecrets {
  joltApiKey: string;
  ecoToken: string;
}

/**
 * Serves the five recorded feeds, each in its paging style, plus a feed needing
 * `Authorization: Token <secret>` (ChargePlace Scotland's Locations, offset-paged
 * by 4), and returns their catalogue entries in the catalogue file's form. Jolt
 * wants `apiKey` in the query, read from JOLT_API_KEY; the Token feed reads ECO_TOKEN.
 */
export function serveRecordedFeeds(server: FeedServer, secrets: FeedSecrets): Record<string, unknown>[] {
  server.serveLinkPages('/chargy/locations', [
    recordedBody('chargy/locations_page1.json'),
    recordedBody('chargy/locations_page2.json'),
  ]);
  const genie = recordedExchange('geniepoint/locations_page1.json').response.headers;
  server.serveResponse('/geniepoint/locations', recordedBody('geniepoint/locations_page1.json'), {
    headers: { 'X-Total-Count': genie['x-total-count'], 'X-Limit': genie['x-limit'] },
  });
  server.serveResponse('/mer/data', recordedBody('mer_uk/data.json'), {
    headers: { Link: recordedExchange('mer_uk/data.json').response.headers.link },
  });
  server.serveResponse('/jolt/locations', recordedBody('jolt/locations.json'), {
    requires: { query: 'apiKey', secret: secrets.joltApiKey },
  });
  const cps = recordedBody('chargeplace_scotland/locations_page1.json');
  server.serveOffsetPages('/cps/locations/2463', [cps]);
  server.serveOffsetPages('/eco/locations', splitEnvelope(cps, 4), {
    requires: { header: 'Authorization', value: `Token ${secrets.ecoToken}` },
  });
  return [
    { id: 'chargy', name: 'char.gy', url: server.url('/chargy/locations'), minIntervalMs: 0 },
    { id: 'geniepoint', name: 'GeniePoint', url: server.url('/geniepoint/locations'), minIntervalMs: 0 },
    { id: 'mer_uk', name: 'Mer UK', url: server.url('/mer/data'), minIntervalMs: 0 },
    {
      id: 'jolt',
      name: 'Jolt',
      url: server.url('/jolt/locations'),
      auth: { query: 'apiKey', secretEnv: 'JOLT_API_KEY' },
      minIntervalMs: 0,
    },
    {
      id: 'chargeplace_scotland',
      name: 'ChargePlace Scotland',
      url: server.url('/cps/locations/2463'),
      minIntervalMs: 0,
    },
    {
      id: 'eco',
      name: 'Eco feed',
      url: server.url('/eco/locations'),
      paging: 'offset',
      pageSize: 4,
      auth: { header: 'Authorization', scheme: 'Token', secretEnv: 'ECO_TOKEN' },
      minIntervalMs: 0,
    },
  ];
}
