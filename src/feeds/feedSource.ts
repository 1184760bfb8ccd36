import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { DigestStream } from '../streams/digestStream';
import { PayloadError, SourceError, TruncatedPayloadError } from '../domain/errors';
import type { FeedDefinition, FeedPageResult, LocationArrayPath } from '../domain/feed';
import { createHttpSource, type HttpSourceOptions } from '../source/httpSource';
import type { RequestCredentials } from '../source/registrySource';
import type { BlobStore } from '../storage/blobStore';
import { LocationScanner, type LocationSink } from '../transform/ocpi/locationScanner';
import { firstPageUrl, nextPageUrl } from './paging';

/** Settings of the HTTP client: those of the registry source, but the allowed host is each feed's own. */
export type FeedSourceOptions = Omit<HttpSourceOptions, 'allowedHosts'> & {
  /** Where secrets are read, by the catalogue's variable names; process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
};

/** One page to fetch. */
export interface FeedPageRequest {
  /** The page's URL: a `nextUrl` an earlier page returned; the feed's first page when absent. */
  url?: string;
  /** Location items on the feed's earlier pages, from which offset paging counts. Default 0. */
  itemsBefore?: number;
  /** Where the decoded body is staged, under `key`. */
  store: BlobStore;
  key: string;
  signal?: AbortSignal;
}

/** Fetches the pages of the catalogue's feeds, one request per call. */
export interface FeedSource {
  /**
   * Fetches one page of `feed` and streams its decoded body into `request.store`
   * at `request.key` (never held in memory), counting bytes, sha256 and the
   * Location items in the same pass, and finds the next page's URL.
   *
   * Resolves `secret-missing` (naming the variable) when the feed's secret is not
   * in the environment: nothing is sent. Rejects with SourceError (status, Retry-After
   * as retryAfterMs, retryable or not: src/source/sourceFailures.ts), PayloadError
   * (not JSON, no Location array, OCPI status_code outside 1000–1999) or
   * TruncatedPayloadError; a failed page leaves no object at `key`. No message
   * holds the feed's secret.
   */
  fetchPage(feed: FeedDefinition, request: FeedPageRequest): Promise<FeedPageResult>;
}

/**
 * A FeedSource over the registry source's HTTP client: the same streaming,
 * decoding, size limits, timeouts, typed errors and SSRF rule, with the allowed
 * host being the feed's catalogue URL's host, for its first page and every next one.
 */
export function createFeedSource(options: FeedSourceOptions = {}): FeedSource {
  const { env = process.env, now = () => new Date(), ...httpOptions } = options;
  return {
    async fetchPage(feed, request) {
      const auth = credentialsOf(feed, env);
      if ('missing' in auth) return { outcome: 'secret-missing', secretEnv: auth.missing };
      const { secret, ...credentials } = auth;
      const started = Date.now();
      const fetchedAt = now().toISOString();
      const pageUrl = request.url ?? firstPageUrl(feed);
      const http = createHttpSource({
        ...httpOptions,
        allowedHosts: [new URL(feed.url).hostname],
        sourceName: `feed ${feed.id}`,
      });
      const response = await http.open(withQueryCredential(pageUrl, feed, secret), {
        signal: request.signal,
        credentials,
      });
      if (response.notModified) {
        // Only validators earn a 304, and none were sent: a server answering it anyway is broken.
        throw new SourceError(`${response.metadata.url} answered 304 Not Modified to an unconditional request`, false, {
          url: response.metadata.url,
          status: 304,
        });
      }
      const counter = new LocationCounter();
      const digest = new DigestStream();
      // pipeline destroys every stream on any error: a broken or invalid body fails the put (which
      // then leaves no object), and a failed put closes the connection.
      pipeline(response.body, counter, digest, () => undefined);
      try {
        await request.store.put(request.key, digest, { contentType: 'application/json' });
      } catch (error) {
        // The store only saw its input end badly: the body's or the scan's own error says why.
        throw namingPage(response.metadata.url, response.body.errored ?? counter.errored ?? error);
      }
      const { headers } = response;
      const next = nextPageUrl(
        feed.paging,
        {
          requestUrl: pageUrl,
          headers: { link: headers.link, totalCount: headers['x-total-count'], limit: headers['x-limit'] },
          items: counter.items,
          itemsBefore: request.itemsBefore ?? 0,
        },
        feed.pageSize,
      );
      return {
        outcome: 'fetched',
        status: response.metadata.status,
        key: request.key,
        bytes: digest.bytes,
        sha256: digest.sha256(),
        items: counter.items,
        shape: counter.shape,
        ...(next === undefined ? {} : { nextUrl: withoutQueryCredential(next, feed) }),
        fetchedAt,
        durationMs: Date.now() - started,
      };
    },
  };
}

/** The credentials the feed's request carries, or the variable whose secret is missing. */
function credentialsOf(
  feed: FeedDefinition,
  env: Readonly<Record<string, string | undefined>>,
): (RequestCredentials & { secret?: string }) | { missing: string } {
  const { auth } = feed;
  if (auth === undefined) return {};
  const secret = env[auth.secretEnv]?.trim();
  if (!secret) return { missing: auth.secretEnv };
  if (auth.kind === 'query') return { secretParams: [auth.name], secrets: [secret], secret };
  const value = auth.scheme === undefined ? secret : `${auth.scheme} ${secret}`;
  return { headers: { [auth.name]: value }, secrets: [secret, value], secret };
}

/** The URL sent: with the feed's query credential set, when it has one. */
function withQueryCredential(pageUrl: string, feed: FeedDefinition, secret: string | undefined): string {
  if (feed.auth?.kind !== 'query' || secret === undefined) return pageUrl;
  const url = new URL(pageUrl);
  url.searchParams.set(feed.auth.name, secret);
  return url.href;
}

/** A next-page URL without the feed's query credential (servers echo it in links): it goes to workflow history. */
function withoutQueryCredential(nextUrl: string, feed: FeedDefinition): string {
  if (feed.auth?.kind !== 'query') return nextUrl;
  const url = new URL(nextUrl);
  if (!url.searchParams.has(feed.auth.name)) return nextUrl;
  url.searchParams.delete(feed.auth.name);
  return url.href;
}

/** A body error naming the page it is about; SourceErrors name their URL already. */
function namingPage(url: string, error: unknown): unknown {
  if (error instanceof PayloadError) return new PayloadError(`page ${url}: ${error.message}`, error.details);
  if (error instanceof TruncatedPayloadError) {
    return new TruncatedPayloadError(`page ${url}: ${error.message}`, error.details);
  }
  return error;
}

/** Counts the elements of one candidate Location array. */
class ArrayCount implements LocationSink {
  items = 0;
  constructor(readonly path: LocationArrayPath) {}
  addLocation(): void {
    this.items += 1;
  }
}

/**
 * Passes the body through unchanged while the OCPI location scanner validates it
 * and counts the Location array's elements: a body that is not JSON, holds no
 * Location array or carries an OCPI error status fails the stream with PayloadError.
 */
class LocationCounter extends Transform {
  private readonly scanner = new LocationScanner((path) => new ArrayCount(path));
  private result: ArrayCount | undefined;

  /** Elements of the Location array; read once the stream has finished. */
  get items(): number {
    return this.result!.items;
  }

  /** Where the Location array was; read once the stream has finished. */
  get shape(): LocationArrayPath {
    return this.result!.path;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.scanner.write(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.result = this.scanner.end();
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}
