import { text } from 'node:stream/consumers';
import type { FeedSnapshotInfo } from '../domain/chargePointsRun';
import { BlobChangedError } from '../domain/errors';
import { snapshotDataKey, snapshotInfoKey } from '../domain/feedKeys';
import type { BlobStore } from '../storage/blobStore';

/** Rounds of the snapshot's compare-and-swap before leaving it to the activity's retry. */
const MAX_ROUNDS = 5;

/** A feed's last good snapshot as read, with the version to replace conditionally. */
export interface StoredSnapshot {
  info?: FeedSnapshotInfo;
  etag?: string;
  /** Why an info object that exists cannot be used (not JSON, fields missing). */
  problem?: string;
}

/** Reads `_feeds/<id>/last-good.json`; an unreadable one is reported, not thrown: it is replaced by the next good fetch. */
export async function readFeedSnapshot(store: BlobStore, feedId: string): Promise<StoredSnapshot> {
  const key = snapshotInfoKey(feedId);
  const head = await store.head(key);
  if (head === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await text(await store.get(key)));
  } catch {
    return { etag: head.etag, problem: `${store.uriFor(key)} is not valid JSON` };
  }
  if (!isSnapshotInfo(parsed))
    return { etag: head.etag, problem: `${store.uriFor(key)} lacks fetchedAt or normalised` };
  return { info: parsed, etag: head.etag };
}

/**
 * Keeps `fresh` (whose normalised data is staged at `fresh.normalised.key`) as the
 * feed's last good snapshot, unless one fetched later is already there: runs may
 * overlap. The data goes first, under its sha256, then the info naming it,
 * conditional on the version read, so a reader always finds whole data.
 */
export async function saveFeedSnapshot(store: BlobStore, feedId: string, fresh: FeedSnapshotInfo): Promise<void> {
  const dataKey = snapshotDataKey(feedId, fresh.normalised.sha256);
  if ((await store.head(dataKey))?.size !== fresh.normalised.bytes) await store.copy(fresh.normalised.key, dataKey);
  const info: FeedSnapshotInfo = { ...fresh, normalised: { ...fresh.normalised, key: dataKey } };
  for (let round = 1; ; round += 1) {
    const current = await readFeedSnapshot(store, feedId);
    if (current.info !== undefined && current.info.fetchedAt >= fresh.fetchedAt) return;
    try {
      await store.put(snapshotInfoKey(feedId), `${JSON.stringify(info, null, 2)}\n`, {
        contentType: 'application/json',
        ...(current.etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag }),
      });
      return;
    } catch (error) {
      if (!(error instanceof BlobChangedError) || round === MAX_ROUNDS) throw error;
    }
  }
}

function isSnapshotInfo(value: unknown): value is FeedSnapshotInfo {
  const info = value as Partial<FeedSnapshotInfo> | null;
  return (
    typeof info === 'object' &&
    info !== null &&
    typeof info.fetchedAt === 'string' &&
    typeof info.normalised?.key === 'string' &&
    typeof info.normalised.sha256 === 'string' &&
    typeof info.normalised.bytes === 'number'
  );
}
