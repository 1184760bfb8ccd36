import type { FeedSettings } from '../../config';
import type { FeedSource } from '../../feeds/feedSource';
import type { BlobStore } from '../../storage/blobStore';

/** What the charge-points activities need from the outside world, injected by the worker (or a test). */
export interface ChargePointsActivityDeps {
  config: { destination: string; feeds: FeedSettings };
  feedSource: FeedSource;
  openStore(destination: string): BlobStore;
  /** The worker's clock; the hosts' request logs and snapshot ages are read from it. */
  now?: () => Date;
}

export function clock(deps: ChargePointsActivityDeps): Date {
  return deps.now?.() ?? new Date();
}
