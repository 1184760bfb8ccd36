import { redactUrl } from './redact';

/**
 * One operator's open-data feed as the catalogue (feeds/uk-operators.yaml) defines
 * it, validated (src/feeds/catalogue.ts). Plain data holding no secret, only the
 * name of the environment variable that does: safe in workflow inputs and history.
 */
export interface FeedDefinition {
  /** `[a-z0-9_-]+`, unique in the catalogue. */
  id: string;
  /** The operator's name: the Operator of Locations that name none. */
  name: string;
  /** The first page's URL, http(s); every page is fetched from this URL's host only. */
  url: string;
  enabled: boolean;
  paging: PagingMode;
  /** With `offset` paging, sent as `limit=` from the first request on. */
  pageSize?: number;
  auth?: FeedAuth;
  /** Least gap between two requests to this feed's host, in ms. */
  minIntervalMs: number;
  /** Request budget per hour for this feed's host, shared by the feeds on it. */
  maxRequestsPerHour?: number;
}

/**
 * How a feed's next page is found (src/feeds/paging.ts):
 * - `auto`: `Link: <…>; rel="next"` when present, else `X-Total-Count`/`X-Limit` offset paging, else done;
 * - `link`: only `Link: <…>; rel="next"`;
 * - `offset`: only `X-Total-Count`/`X-Limit` (and `limit=pageSize` on the first request);
 * - `none`: one response holds everything.
 */
export type PagingMode = 'auto' | 'link' | 'offset' | 'none';
export const PAGING_MODES: readonly PagingMode[] = ['auto', 'link', 'offset', 'none'];

/** Where the feed's credential goes; its value is read from the worker's environment at request time. */
export type FeedAuth =
  | {
      kind: 'header';
      /** The header's name, e.g. `Authorization`. */
      name: string;
      /** Prefix before the secret, e.g. `Token` gives `Authorization: Token <secret>`. */
      scheme?: string;
      secretEnv: string;
    }
  | {
      kind: 'query';
      /** The query parameter's name, e.g. `apiKey`. */
      name: string;
      secretEnv: string;
    };

/** Where in a response body the Location array was (issue 10, "Fetching a feed"), in order of preference. */
export type LocationArrayPath = 'body' | 'data' | 'locations' | 'data.locations.data' | 'data.locations';

/**
 * One page of a feed, fetched and staged (claim-check: the body is in the
 * BlobStore under `key`, never in this result). Small enough for workflow history.
 */
export interface FeedPage {
  /** HTTP status of the answer (2xx). */
  status: number;
  /** The BlobStore key the decoded body was written to. */
  key: string;
  /** Decoded bytes staged, and their sha256 (hex). */
  bytes: number;
  sha256: string;
  /** Elements of the Location array (objects or not: the transform judges them). */
  items: number;
  /** Which key of the body held the Location array. */
  shape: LocationArrayPath;
  /** The next page's URL, without the feed's credential; absent when this was the last page. */
  nextUrl?: string;
  /** ISO time the request was sent. */
  fetchedAt: string;
  durationMs: number;
}

/** A feed whose secret is not in the worker's environment: reported `skipped`, not failed. */
export interface FeedSecretMissing {
  outcome: 'secret-missing';
  /** The environment variable that is not set (its name only). */
  secretEnv: string;
}

export type FeedPageResult = ({ outcome: 'fetched' } & FeedPage) | FeedSecretMissing;

/** More pages than this for one feed is taken for a paging loop. */
export const MAX_FEED_PAGES = 10_000;

/**
 * Guards a feed's paging against loops: a next URL seen before, or more than
 * MAX_FEED_PAGES pages. Pure and workflow-safe. `follow` returns the problem
 * (for a non-retryable failure) instead of throwing, so workflow code can raise
 * it as an ApplicationFailure and activity code as a PayloadError.
 */
export class PageLoopGuard {
  private readonly seen: Set<string>;

  /** @param firstUrl the first page's URL, as requested (without credentials). */
  constructor(
    private readonly feedId: string,
    firstUrl: string,
  ) {
    this.seen = new Set([firstUrl]);
  }

  /** Pages accepted so far, the first included. */
  get pages(): number {
    return this.seen.size;
  }

  /** Accepts `nextUrl` as the next page to fetch, or says why it must not be. */
  follow(nextUrl: string): string | undefined {
    const shown = redactUrl(nextUrl);
    if (this.seen.has(nextUrl)) {
      return `feed ${this.feedId}: paging loop: the next page ${shown} was already fetched (after ${this.seen.size} pages)`;
    }
    if (this.seen.size >= MAX_FEED_PAGES) {
      return `feed ${this.feedId}: more than ${MAX_FEED_PAGES} pages, taken for a paging loop (next page ${shown})`;
    }
    this.seen.add(nextUrl);
    return undefined;
  }
}
