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

/** How many of the latest page URLs the loop guard remembers; a longer cycle runs into MAX_FEED_PAGES. */
export const RECENT_PAGE_URLS = 256;

/**
 * Guards a feed's paging against loops: a next URL among the latest
 * RECENT_PAGE_URLS pages' URLs, or more than MAX_FEED_PAGES pages. It remembers
 * digests, not URLs, in a bounded window, so its state stays a few KB whatever
 * the feed and can be carried across continue-as-new (`state`). Pure and
 * workflow-safe. `follow` returns the problem (for a non-retryable failure)
 * instead of throwing, so workflow code can raise it as an ApplicationFailure and
 * other code as a PayloadError.
 */
export class PageLoopGuard {
  private readonly recent: string[];
  private accepted: number;

  /**
   * @param firstUrl the first page's URL, as requested (without credentials).
   * @param resume the state of a guard that has followed pages already.
   */
  constructor(
    private readonly feedId: string,
    firstUrl: string,
    resume?: { pages: number; recentUrlDigests: readonly string[] },
  ) {
    this.recent = resume ? [...resume.recentUrlDigests] : [urlDigest(firstUrl)];
    this.accepted = resume?.pages ?? 1;
  }

  /** Pages accepted so far, the first included. */
  get pages(): number {
    return this.accepted;
  }

  /** The digests of the latest URLs, oldest first: what `resume` takes back. */
  get recentUrlDigests(): string[] {
    return [...this.recent];
  }

  /** Accepts `nextUrl` as the next page to fetch, or says why it must not be. */
  follow(nextUrl: string): string | undefined {
    const shown = redactUrl(nextUrl);
    const digest = urlDigest(nextUrl);
    if (this.recent.includes(digest)) {
      return `feed ${this.feedId}: paging loop: the next page ${shown} was already fetched (after ${this.accepted} pages)`;
    }
    if (this.accepted >= MAX_FEED_PAGES) {
      return `feed ${this.feedId}: more than ${MAX_FEED_PAGES} pages, taken for a paging loop (next page ${shown})`;
    }
    this.recent.push(digest);
    if (this.recent.length > RECENT_PAGE_URLS) this.recent.shift();
    this.accepted += 1;
    return undefined;
  }
}

/**
 * A 53-bit digest of a URL (cyrb53) as hex: workflow code has no crypto, and two
 * different URLs of one feed colliding within the window is vanishingly unlikely.
 */
export function urlDigest(url: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < url.length; index += 1) {
    const code = url.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}
