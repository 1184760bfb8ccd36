import type { ChargePointsActivityDeps } from '../../src/activities/chargePoints';
import { productionChargePointsDeps } from '../../src/activities/chargePoints/productionDeps';
import type { AppConfig } from '../../src/config';
import { createFeedSource } from '../../src/feeds/feedSource';
import { CODE_VERSION } from '../../src/version';

/**
 * The worker's real charge-points dependencies, except that feed secrets are read
 * from `env` instead of the test process's environment.
 */
export function chargePointsDepsWithSecrets(env: Record<string, string>) {
  return (config: AppConfig): ChargePointsActivityDeps => ({
    ...productionChargePointsDeps(config),
    feedSource: createFeedSource({
      connectTimeoutMs: config.sourceConnectTimeoutMs,
      idleTimeoutMs: config.sourceIdleTimeoutMs,
      maxBodyBytes: config.sourceMaxBytes,
      userAgent: CODE_VERSION,
      env,
    }),
  });
}
