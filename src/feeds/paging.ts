import type { FeedDefinition, PagingMode } from '../domain/feed';

/** The headers of a feed's answer that say whether another page follows. */
export interface PagingHeaders {
  link?: string;
  /** `X-Total-Count`: items the feed holds in all. */
  totalCount?: string;
  /** `X-Limit`: items the feed sends per page at most. */
  limit?: string;
}

/** One answer of a feed, as paging needs to know it. */
export interface PagedAnswer {
  /** The URL requested, without credentials: relative links resolve against it. */
  requestUrl: string;
  headers: PagingHeaders;
  /** Location items on this page. */
  items: number;
  /** Location items on the feed's earlier pages. */
  itemsBefore: number;
}

/** One link of a `Link` header (RFC 8288): its target as written and its relation types, lower-cased. */
export interface WebLink {
  target: string;
  rels: string[];
}

/**
 * The first page's URL: the catalogue's, with `limit=pageSize` set when the
 * feed pages by offset and says how large a page to ask for.
 */
export function firstPageUrl(feed: Pick<FeedDefinition, 'url' | 'paging' | 'pageSize'>): string {
  if (feed.paging !== 'offset' || feed.pageSize === undefined) return feed.url;
  const url = new URL(feed.url);
  url.searchParams.set('limit', String(feed.pageSize));
  return url.href;
}

/**
 * The URL of the page after `answer`, or undefined when the feed is complete:
 * - `link`: the target of `Link: <…>; rel="next"` (resolved against the request
 *   URL; links with other relations, such as Mer's `rel="https://api.w.org/"`, ignored);
 * - `offset`: when `X-Total-Count` says more items exist than received so far, the
 *   request URL with `offset=<received so far>` and `limit=<X-Limit, else pageSize>`;
 * - `auto`: `link` when the answer has a next link, else `offset` when `X-Limit` > 0;
 * - `none`: never.
 */
export function nextPageUrl(paging: PagingMode, answer: PagedAnswer, pageSize?: number): string | undefined {
  switch (paging) {
    case 'none':
      return undefined;
    case 'link':
      return nextLink(answer);
    case 'offset':
      return nextOffset(answer, pageSize);
    case 'auto':
      return nextLink(answer) ?? nextOffset(answer, undefined);
  }
}

function nextLink({ requestUrl, headers }: PagedAnswer): string | undefined {
  if (headers.link === undefined) return undefined;
  const next = parseLinkHeader(headers.link).find((link) => link.rels.includes('next'));
  if (next === undefined) return undefined;
  try {
    return new URL(next.target, requestUrl).href;
  } catch {
    return undefined;
  }
}

/** The offset page after this one; with `fallbackLimit` undefined, only when X-Limit is a positive integer. */
function nextOffset(answer: PagedAnswer, fallbackLimit: number | undefined): string | undefined {
  const total = nonNegativeInteger(answer.headers.totalCount);
  const headerLimit = nonNegativeInteger(answer.headers.limit);
  const limit = headerLimit !== undefined && headerLimit > 0 ? headerLimit : fallbackLimit;
  const received = answer.itemsBefore + answer.items;
  if (total === undefined || limit === undefined || received >= total) return undefined;
  const url = new URL(answer.requestUrl);
  url.searchParams.set('offset', String(received));
  url.searchParams.set('limit', String(limit));
  return url.href;
}

function nonNegativeInteger(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}

/**
 * Parses a `Link` header (RFC 8288 §3): comma-separated `<target>` with
 * `;`-separated parameters, whose values may be quoted strings holding commas
 * and semicolons. Malformed links are skipped, not guessed at.
 */
export function parseLinkHeader(value: string): WebLink[] {
  const links: WebLink[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < value.length && /[ \t]/.test(value[i])) i++;
  };
  /** Moves past the rest of a malformed link, to the comma after it (outside quotes). */
  const skipLink = () => {
    let quoted = false;
    for (; i < value.length; i++) {
      if (value[i] === '"' && value[i - 1] !== '\\') quoted = !quoted;
      else if (value[i] === ',' && !quoted) return;
    }
  };
  while (i < value.length) {
    skipSpace();
    if (value[i] === ',') {
      i++;
      continue;
    }
    if (value[i] !== '<') {
      skipLink();
      continue;
    }
    const close = value.indexOf('>', i);
    if (close < 0) break;
    const target = value.slice(i + 1, close).trim();
    i = close + 1;
    const rels: string[] = [];
    // Parameters: ; name [= token | "quoted"]
    for (;;) {
      skipSpace();
      if (value[i] !== ';') break;
      i++;
      skipSpace();
      const nameMatch = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(value.slice(i));
      if (nameMatch === null) break;
      const name = nameMatch[0].toLowerCase();
      i += nameMatch[0].length;
      skipSpace();
      let paramValue = '';
      if (value[i] === '=') {
        i++;
        skipSpace();
        if (value[i] === '"') {
          i++;
          while (i < value.length && value[i] !== '"') {
            if (value[i] === '\\') i++;
            paramValue += value[i] ?? '';
            i++;
          }
          i++;
        } else {
          const tokenMatch = /^[^\s;,]*/.exec(value.slice(i))!;
          paramValue = tokenMatch[0];
          i += paramValue.length;
        }
      }
      // RFC 8288: only the first rel parameter counts; it may hold several space-separated types.
      if (name === 'rel' && rels.length === 0) rels.push(...paramValue.toLowerCase().split(/\s+/).filter(Boolean));
    }
    skipLink();
    links.push({ target, rels });
  }
  return links;
}
