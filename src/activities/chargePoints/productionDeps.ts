import type { AppConfig } from '../../config';
import { createFeedSource } from '../../feeds/feedSource';
import { openBlobStore } from '../../storage/openBlobStore';
import { CODE_VERSION } from '../../version';
import type { ChargePointsActivityDeps } from './deps';

/** The charge-points activities' real dependencies: the feeds over HTTP, with the registry source's limits, and the blob stores. */
export function productionChargePointsDeps(config: AppConfig): ChargePointsActivityDeps {
  return {
    config,
    feedSource: createFeedSource({
      connectTimeoutMs: config.sourceConnectTimeoutMs,
      idleTimeoutMs: config.sourceIdleTimeoutMs,
      maxBodyBytes: config.sourceMaxBytes,
      userAgent: CODE_VERSION,
    }),
    openStore: (destination) => openBlobStore(destination),
  };
}
