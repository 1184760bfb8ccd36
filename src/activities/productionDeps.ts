import type { ActivityDeps } from './deps';
import type { AppConfig } from '../config';
import { CODE_VERSION } from '../version';
import { createHttpSource } from '../source/httpSource';
import { openBlobStore } from '../storage/openBlobStore';

/** The activities' real dependencies from the validated configuration: the HTTP registry and the blob stores. */
export function productionActivityDeps(config: AppConfig): ActivityDeps {
  return {
    config,
    source: createHttpSource({
      connectTimeoutMs: config.sourceConnectTimeoutMs,
      idleTimeoutMs: config.sourceIdleTimeoutMs,
      maxBodyBytes: config.sourceMaxBytes,
      allowedHosts: config.sourceAllowedHosts,
      userAgent: CODE_VERSION,
    }),
    openStore: (destination) => openBlobStore(destination),
    codeVersion: CODE_VERSION,
  };
}
