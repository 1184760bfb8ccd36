import type { NormalisedFeedRef } from '../../domain/chargePointsRun';
import { feedPageKey, normalisedFeedKey } from '../../domain/feedKeys';
import { saveFeedSnapshot } from '../../feeds/feedSnapshots';
import type { BlobStore } from '../../storage/blobStore';
import { DigestStream } from '../../streams/digestStream';
import { produceInto } from '../../streams/produceInto';
import { normaliseFeed as normalisePages } from '../../transform/ocpi/normaliseFeed';
import { classifyFailures } from '../failures';
import { withHeartbeat, type ReportProgress } from '../heartbeat';
import { currentRun } from '../runContext';
import type { ChargePointsActivityDeps } from './deps';

export interface NormaliseFeedInput {
  feed: { id: string; name: string };
  destination: string;
  stagingPrefix: string;
  /** Pages staged by fetchFeedPage, 1 to `pages`. */
  pages: number;
  bytes: number;
  /** When the feed's first page was requested (ISO): the snapshot's age counts from it. */
  fetchedAt: string;
}

export interface NormaliseFeedResult {
  normalised: NormalisedFeedRef;
  /** The feed's own counts, before dedupe against other feeds. */
  locations: number;
  evsesKept: number;
  durationMs: number;
}

/**
 * Reads the feed's staged pages in order through the open-data rules into its
 * normalised data (staged for the merge), then keeps that as the feed's last good
 * snapshot, for runs in which the feed fails. Idempotent: a retry rewrites the
 * same staged object, and a snapshot is only ever replaced by a newer fetch.
 */
export function createNormaliseFeed(deps: ChargePointsActivityDeps) {
  return async function normaliseFeed(input: NormaliseFeedInput): Promise<NormaliseFeedResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const store = deps.openStore(input.destination);
      const key = normalisedFeedKey(input.stagingPrefix, input.feed.id);
      return withHeartbeat({ pagesRead: 0 }, async (report) => {
        const output = new DigestStream();
        const written = store.put(key, output, { contentType: 'application/x-ndjson' });
        const stats = await produceInto(output, written, () =>
          normalisePages(input.feed.name, stagedPages(store, input, report), output),
        );
        const normalised = { key, bytes: output.bytes, sha256: output.sha256() };
        report({ pagesRead: input.pages, step: 'saving the snapshot' });
        await saveFeedSnapshot(store, input.feed.id, {
          fetchedAt: input.fetchedAt,
          runId: currentRun().runId,
          pages: input.pages,
          bytes: input.bytes,
          locations: stats.locationsSeen,
          evsesKept: stats.evsesKept,
          normalised,
        });
        return {
          normalised,
          locations: stats.locationsSeen,
          evsesKept: stats.evsesKept,
          durationMs: Date.now() - started,
        };
      });
    });
  };
}

async function* stagedPages(store: BlobStore, input: NormaliseFeedInput, report: ReportProgress) {
  for (let page = 1; page <= input.pages; page += 1) {
    yield await store.get(feedPageKey(input.stagingPrefix, input.feed.id, page));
    report({ pagesRead: page });
  }
}
