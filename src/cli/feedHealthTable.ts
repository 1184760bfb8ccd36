import type { FeedHealth } from '../domain/chargePointsRun';
import { formatBytes } from './report';
import { formatTable } from './runFacts';

export const FEED_HEALTH_HEADER = [
  'FEED',
  'STATUS',
  'LOCATIONS',
  'EVSES KEPT',
  'PAGES',
  'BYTES',
  'FETCHED AT',
  'DURATION',
  'LAST ERROR',
];

/** Keeps the table one line per feed in a terminal; the full error is in the report's JSON and the published feed health. */
export const LAST_ERROR_WIDTH = 72;

/** The feeds of a charge-points run, one line each in catalogue order: what each contributed and, if not `ok`, why. */
export function formatFeedHealthTable(feeds: readonly FeedHealth[]): string {
  if (feeds.length === 0) return 'no feeds';
  return formatTable([
    FEED_HEALTH_HEADER,
    ...feeds.map((feed) => [
      feed.id,
      feed.status,
      String(feed.locations),
      String(feed.evsesKept),
      String(feed.pages),
      formatBytes(feed.bytes),
      feed.fetchedAt ? feed.fetchedAt.replace(/\.\d+Z$/, 'Z') : '-',
      `${(feed.durationMs / 1000).toFixed(1)}s`,
      feed.lastError ? oneLine(feed.lastError, LAST_ERROR_WIDTH) : '-',
    ]),
  ]);
}

/** `text` on one line (whitespace runs, newlines included, become one space), cut to `width` characters with an ellipsis. */
export function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}
