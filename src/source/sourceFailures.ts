import { STATUS_CODES } from 'node:http';
import { SourceError } from '../domain/errors';

/** Network failures that are usually transient: the next attempt may well get through. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** 408 and 429 say "not now"; 5xx says the server failed. Every other 4xx will fail again. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * The SourceError for a non-2xx answer. For retryable statuses a Retry-After
 * header (seconds or HTTP date) becomes `retryAfterMs`.
 */
export function statusFailure(
  status: number,
  statusText: string | undefined,
  url: string,
  retryAfter: string | undefined,
  now: number = Date.now(),
  sourceName = 'registry',
): SourceError {
  const retryable = isRetryableStatus(status);
  const retryAfterMs = retryable ? parseRetryAfterMs(retryAfter, now) : undefined;
  const reason = statusText || STATUS_CODES[status] || 'Unknown Status';
  const hint = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
  return new SourceError(`${sourceName} returned ${status} ${reason} for ${url}${hint}`, retryable, {
    url,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/**
 * The SourceError for a request that got no HTTP answer. Only the underlying
 * system error is kept as the cause: the HTTP client's own error carries the
 * request configuration, credentials included.
 */
export function transportFailure(error: unknown, url: string, sourceName = 'registry'): SourceError {
  const code = errorCode(error);
  const hungUp = error instanceof Error && /socket hang up/i.test(error.message);
  const retryable = hungUp || (code !== undefined && RETRYABLE_NETWORK_CODES.has(code));
  const what = code ?? (hungUp ? 'socket hang up' : 'unknown network error');
  const systemError = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  return new SourceError(
    `could not reach ${sourceName} at ${url}: ${what}`,
    retryable,
    { url },
    systemError ? { cause: systemError } : undefined,
  );
}

/** All three HTTP date formats (IMF-fixdate, RFC 850, asctime) start with the day name. */
const HTTP_DATE_START = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? /i;

/** Parses Retry-After as delta-seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfterMs(header: string | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse alone is lenient: it would read "1.5" or "-5" as dates.
  if (!HTTP_DATE_START.test(value)) return undefined;
  // HTTP dates are GMT; asctime format does not say so, and Date.parse would take it as local time.
  const date = Date.parse(/ GMT$/i.test(value) ? value : `${value} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
