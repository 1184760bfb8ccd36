import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ChargePointStats } from '../../domain/chargePointStats';
import { CHARGE_POINTS_CSV_FILE_NAME } from '../../domain/chargePointsManifest';
import type { NormalisedFeedRef } from '../../domain/chargePointsRun';
import { StorageError } from '../../domain/errors';
import type { BlobStore } from '../../storage/blobStore';
import { DigestStream } from '../../streams/digestStream';
import { produceInto } from '../../streams/produceInto';
import { mergeNormalisedFeeds } from '../../transform/ocpi/mergeFeeds';
import { classifyFailures } from '../failures';
import { withHeartbeat, type ReportProgress } from '../heartbeat';
import type { ChargePointsActivityDeps } from './deps';

export interface MergeFeedsInput {
  destination: string;
  stagingPrefix: string;
  /** The contributing feeds, in catalogue order. */
  feeds: { id: string; normalised: NormalisedFeedRef }[];
}

export interface MergeFeedsResult {
  csvKey: string;
  sha256: string;
  bytes: number;
  stats: ChargePointStats;
  /** What each feed contributed, after dedupe against the feeds before it. */
  perFeed: { id: string; locations: number; evsesKept: number }[];
  durationMs: number;
}

/**
 * Merges the feeds' normalised data, in catalogue order, into the staged
 * charge_points_UK.csv. Each feed's data is checked against the sha256 its
 * normalisation recorded, so a changed or damaged object never reaches the CSV.
 */
export function createMergeFeeds(deps: ChargePointsActivityDeps) {
  return async function mergeFeeds(input: MergeFeedsInput): Promise<MergeFeedsResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const store = deps.openStore(input.destination);
      const csvKey = `${input.stagingPrefix}${CHARGE_POINTS_CSV_FILE_NAME}`;
      return withHeartbeat({ feedsMerged: 0 }, async (report) => {
        const csv = new DigestStream();
        const written = store.put(csvKey, csv, { contentType: 'text/csv; charset=utf-8' });
        const { stats, perFeed } = await produceInto(csv, written, () =>
          mergeNormalisedFeeds(verifiedFeeds(store, input, report), csv),
        );
        return { csvKey, sha256: csv.sha256(), bytes: csv.bytes, stats, perFeed, durationMs: Date.now() - started };
      });
    });
  };
}

async function* verifiedFeeds(store: BlobStore, input: MergeFeedsInput, report: ReportProgress) {
  let merged = 0;
  for (const feed of input.feeds) {
    yield { id: feed.id, body: verified(store, feed.normalised, await store.get(feed.normalised.key)) };
    report({ feedsMerged: ++merged });
  }
}

/** The object's bytes, failing at the end when they are not the ones recorded. */
async function* verified(store: BlobStore, expected: NormalisedFeedRef, body: Readable): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
  const sha256 = hash.digest('hex');
  if (bytes !== expected.bytes || sha256 !== expected.sha256) {
    const uri = store.uriFor(expected.key);
    // Reading it again would read the same bytes: not retryable.
    throw new StorageError(
      `${uri} is not the normalised data recorded for it (${bytes} bytes, sha256 ${sha256}; expected ${expected.bytes} bytes, ${expected.sha256}): it changed after it was written`,
      false,
      { uri, operation: 'merge' },
    );
  }
}
