import type { Writable } from 'node:stream';
import { emptyChargePointStats, type ChargePointStats } from '../../domain/chargePointStats';
import { countKeptEvses, type EvseGroup } from './aggregate';
import { ChargePointRows } from './chargePointRows';
import { writeChargePointCsv } from './csv';
import { NormalisedFeedReader } from './normalisedFeed';

/** One feed's normalised data (normalisedFeed.ts), as normaliseFeed wrote it. */
export interface NormalisedFeedInput {
  /** Names the feed in errors and in the contributions. */
  id: string;
  body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
}

/** What one feed brought to the CSV. */
export interface FeedContribution {
  id: string;
  /** The feed's locationsSeen. */
  locations: number;
  /** Its EVSEs kept after dedupe against the feeds before it. */
  evsesKept: number;
}

/** The counters a feed's stats add as they are; the kept-EVSE ones are counted again after cross-feed dedupe. */
const FEED_COUNTERS = [
  'locationsSeen',
  'locationsUnpublished',
  'locationsOutsideUk',
  'evsesSeen',
  'evsesRemoved',
  'duplicatesDropped',
  'malformedRecords',
] as const;

/**
 * Merges the feeds' normalised data, in catalogue order, into charge_points_UK.csv
 * written to `output`, which is ended: the same bytes and stats as transformOpenData
 * over all their pages in the same order. A dedupe key is kept at its first feed
 * only. Each feed is read line by line; memory is the dedupe keys of all feeds, the
 * current feed's groups and the rows. Rejects with PayloadError, naming the feed and
 * line, at the first data that is not normalised feed data, before anything is written.
 */
export async function mergeNormalisedFeeds(
  feeds: AsyncIterable<NormalisedFeedInput> | Iterable<NormalisedFeedInput>,
  output: Writable,
): Promise<{ stats: ChargePointStats; perFeed: FeedContribution[] }> {
  const stats = emptyChargePointStats();
  const rows = new ChargePointRows();
  const keys = new Set<string>();
  const perFeed: FeedContribution[] = [];
  const keep = (group: EvseGroup, evses: number): void => {
    countKeptEvses(stats, group, evses);
    rows.add(group.row, evses);
  };

  for await (const feed of feeds) {
    const reader = new NormalisedFeedReader(feed.id);
    let evsesKept = 0;
    for await (const chunk of feed.body) {
      for (const entry of reader.write(chunk)) {
        if (entry.kind === 'keyless') {
          keep(entry.group, entry.evses);
          evsesKept += entry.evses;
        } else if (keys.has(entry.key)) {
          stats.duplicatesDropped++;
        } else {
          keys.add(entry.key);
          keep(entry.group, 1);
          evsesKept++;
        }
      }
    }
    const feedStats = reader.end();
    for (const name of FEED_COUNTERS) stats[name] += feedStats[name];
    perFeed.push({ id: feed.id, locations: feedStats.locationsSeen, evsesKept });
  }
  stats.rows = rows.size;
  await writeChargePointCsv(rows.sorted(), output);
  return { stats, perFeed };
}
