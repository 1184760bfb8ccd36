import type { ChargePointStats } from './chargePointStats';
import { FEED_STATUSES, type FeedHealth, type FeedStatus } from './chargePointsRun';

/** File names of the charge-points dataset, the same at the destination's root (stable) and in history. */
export const CHARGE_POINTS_CSV_FILE_NAME = 'charge_points_UK.csv';
export const CHARGE_POINTS_MANIFEST_FILE_NAME = 'charge_points_UK.manifest.json';
/** The feed health of the run whose data is published: `{ feeds: FeedHealth[] }`. */
export const CHARGE_POINTS_FEEDS_FILE_NAME = 'charge_points_UK.feeds.json';
export const CHARGE_POINTS_STABLE_FEEDS_KEY = CHARGE_POINTS_FEEDS_FILE_NAME;

/** How many feeds of the run ended in each status, and where their health is kept. */
export interface ChargePointsFeedSummary extends Record<FeedStatus, number> {
  /** The run's history copy of `charge_points_UK.feeds.json`. */
  feedsKey: string;
  feedsUri: string;
}

/** What `charge_points_UK.manifest.json` holds; every field is part of the output contract. */
export interface ChargePointsManifest {
  manifestVersion: 1;
  dataset: 'charge_points_UK';
  stats: ChargePointStats;
  csv: { key: string; uri: string; bytes: number; sha256: string };
  feeds: ChargePointsFeedSummary;
  workflowId: string;
  runId: string;
  /** When the run started; orders overlapping runs so an older one never replaces a newer one. */
  runStartedAt: string;
  codeVersion: string;
}

/** How many feeds ended in each status, every status listed (in FEED_STATUSES order), zeros included. */
export function feedStatusCounts(feeds: readonly FeedHealth[]): Record<FeedStatus, number> {
  const counts = Object.fromEntries(FEED_STATUSES.map((status) => [status, 0])) as Record<FeedStatus, number>;
  for (const feed of feeds) counts[feed.status] += 1;
  return counts;
}

/** The body of `charge_points_UK.feeds.json`. */
export function feedHealthJson(feeds: readonly FeedHealth[]): string {
  return `${JSON.stringify({ feeds }, null, 2)}\n`;
}
