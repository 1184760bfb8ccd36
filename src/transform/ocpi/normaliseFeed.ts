import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { addChargePointStats, emptyChargePointStats, type ChargePointStats } from '../../domain/chargePointStats';
import { LocationBatch, type EvseGroup, type LocationBatchTarget } from './aggregate';
import { groupLine, headerLine, keyLine, keylessLine, statsLine } from './normalisedFeed';
import { readPage, type PageBody } from './pipeline';

/**
 * Takes one feed's committed Location arrays and turns them into lines of its
 * normalised data (normalisedFeed.ts), deduping within the feed exactly as the
 * one-pass aggregator does. Memory is the feed's dedupe keys and groups, not its
 * bodies: key lines are handed out as pages commit.
 */
class FeedNormaliser implements LocationBatchTarget {
  readonly stats = emptyChargePointStats();
  private readonly keys = new Set<string>();
  /** Group key → its number in the data. */
  private readonly groupIds = new Map<string, number>();
  private readonly rows = new Set<string>();
  /** Kept EVSEs without a dedupe key, per group number. */
  private readonly keyless = new Map<number, number>();
  private pending = '';

  startBatch(feedName: string): LocationBatch {
    return new LocationBatch(feedName, this.keys);
  }

  commit(batch: LocationBatch): void {
    addChargePointStats(this.stats, batch.stats);
    for (const [key, group] of batch.keys) {
      this.keys.add(key);
      const id = this.groupId(group); // may add the group's line, which must come first
      this.pending += keyLine(key, id);
    }
    for (const [group, evses] of batch.keyless) {
      const id = this.groupId(group);
      this.keyless.set(id, (this.keyless.get(id) ?? 0) + evses);
    }
  }

  /** The lines made since the last call. */
  takeLines(): string {
    const lines = this.pending;
    this.pending = '';
    return lines;
  }

  /** The last lines: the keyless counts and the stats. */
  finish(): string {
    let lines = this.takeLines();
    for (const [id, evses] of this.keyless) lines += keylessLine(id, evses);
    this.stats.rows = this.rows.size;
    return lines + statsLine(this.stats);
  }

  private groupId(group: EvseGroup): number {
    let id = this.groupIds.get(group.key);
    if (id === undefined) {
      id = this.groupIds.size;
      this.groupIds.set(group.key, id);
      this.rows.add(group.row);
      this.pending += groupLine(id, group);
    }
    return id;
  }
}

async function* normalisedText(
  normaliser: FeedNormaliser,
  feedName: string,
  pages: AsyncIterable<PageBody> | Iterable<PageBody>,
): AsyncGenerator<string> {
  yield headerLine();
  for await (const body of pages) {
    await readPage(normaliser, feedName, body);
    const lines = normaliser.takeLines();
    if (lines !== '') yield lines;
  }
  yield normaliser.finish();
}

/**
 * Normalises one feed: reads its pages in page order (the Operator fallback name is
 * `feedName`) and writes its normalised data to `output` as each page commits, then
 * ends `output`. Resolves the feed's own stats (deduped within the feed; `rows` the
 * distinct rows of the feed) once `output` has finished. Rejects with PayloadError or
 * TruncatedPayloadError at the first bad page, and `output` is destroyed with it.
 */
export async function normaliseFeed(
  feedName: string,
  pages: AsyncIterable<PageBody> | Iterable<PageBody>,
  output: Writable,
): Promise<ChargePointStats> {
  const normaliser = new FeedNormaliser();
  await pipeline(Readable.from(normalisedText(normaliser, feedName, pages), { objectMode: false }), output);
  return { ...normaliser.stats };
}
