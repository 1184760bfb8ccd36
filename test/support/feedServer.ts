import type { IncomingHttpHeaders } from 'node:http';
import { FaultyRegistry, type Fault, type RecordedRequest } from './faultyRegistry';
import {
  linkPages,
  offsetPages,
  recordedSampleFeeds,
  singleResponse,
  type FeedReplier,
} from '../../src/demo/sampleFeeds';
import { recordedBody } from './openDataFixtures';

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

  /** char.gy's style: Link rel="next" pages at `?offset=`, with X-Total-Count and X-Limit (see linkPages). */
  serveLinkPages(path: string, pages: Buffer[], options: RouteOptions = {}): void {
    this.serve(path, options, linkPages(pages));
  }

  /** OCPI offset paging: `?offset=&limit=` chooses the page; X-Total-Count and X-Limit say how many, no Link. */
  serveOffsetPages(path: string, pages: Buffer[], options: RouteOptions = {}): void {
    this.serve(path, options, offsetPages(pages));
  }

  /** One response, whatever the query, with the headers given (GeniePoint's X-Limit 0, Mer's WordPress Link, …). */
  serveResponse(
    path: string,
    body: Buffer | string,
    options: RouteOptions & { headers?: Record<string, string> } = {},
  ): void {
    this.serve(path, options, singleResponse(body, options.headers));
  }

  /** Serves `path` with `reply`, refusing with 401 a request without the credential `options.requires` names. */
  serve(path: string, options: RouteOptions, reply: FeedReplier): void {
    this.server.serveDynamic(path, (url, headers) => {
      if (!credentialPresent(options.requires, url, headers))
        return { refusal: { status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' } };
      const { status, body, headers: replyHeaders } = reply(url);
      return status === 200
        ? { fixture: { body: Buffer.from(body), headers: replyHeaders } }
        : { refusal: { status, body, headers: replyHeaders } };
    });
  }
}

function credentialPresent(required: RequiredCredential | undefined, url: URL, headers: IncomingHttpHeaders): boolean {
  if (required === undefined) return true;
  if ('query' in required) return url.searchParams.get(required.query) === required.secret;
  return headers[required.header.toLowerCase()] === required.value;
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
  const joltAuth: RequiredCredential = { query: 'apiKey', secret: secrets.joltApiKey };
  const entries: Record<string, unknown>[] = recordedSampleFeeds().map((feed) => {
    const jolt = feed.id === 'jolt';
    server.serve(feed.path, jolt ? { requires: joltAuth } : {}, feed.reply);
    return {
      id: feed.id,
      name: feed.name,
      url: server.url(feed.path),
      ...(jolt && { auth: { query: 'apiKey', secretEnv: 'JOLT_API_KEY' } }),
      minIntervalMs: 0,
    };
  });
  server.serveOffsetPages(
    '/eco/locations',
    splitEnvelope(recordedBody('chargeplace_scotland/locations_page1.json'), 4),
    {
      requires: { header: 'Authorization', value: `Token ${secrets.ecoToken}` },
    },
  );
  return [
    ...entries,
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
