import type { ChargePointStats } from '../domain/chargePointStats';
import type { FeedHealth } from '../domain/chargePointsRun';
import {
  CHARGE_POINTS_FEEDS_FILE_NAME,
  CHARGE_POINTS_STABLE_FEEDS_KEY,
  feedHealthJson,
  feedStatusCounts,
  type ChargePointsManifest,
} from '../domain/chargePointsManifest';
import { CHARGE_POINTS_DATASET } from '../domain/datasets';
import { historyPrefix, stagingPrefix } from '../domain/manifest';
import type { BlobStore } from '../storage/blobStore';
import type { ActivityDeps } from './deps';
import { classifyFailures } from './failures';
import { withHeartbeat } from './heartbeat';
import { currentRun } from './runContext';
import { publishRefusal } from '../publish/publishRefusal';
import { placeStableFeedHealth } from '../publish/stableFeedHealth';
import { manifestJson, publishStable } from '../publish/stablePublisher';

export interface PublishChargePointsInput {
  destination: string;
  /** The merged CSV in the run's staging. */
  csvKey: string;
  csvSha256: string;
  csvBytes: number;
  stats: ChargePointStats;
  feeds: FeedHealth[];
  runStartedAt: string;
  force: boolean;
}

export interface PublishChargePointsResult {
  historyCsvUri: string;
  manifestUri: string;
  /** The run's history copy of the feed health. */
  feedsUri: string;
  stableUri: string;
  stableFeedsUri: string;
  published: boolean;
  unchanged: boolean;
  /** Why the stable key was or was not replaced. */
  reason: string;
  durationMs: number;
}

/**
 * Publishes the merged charge_points_UK.csv as upload does charger_models_UK.csv: a
 * history copy with the run's feed health and manifest, then the stable CSV (see
 * publishStable), then the stable feed health, then the run's staging is removed
 * (the feed children stage under the run's prefix, so theirs goes too). A superseded
 * run leaves the stable feed health alone: the newer run that owns the stable CSV
 * places its own. Each step is idempotent, so a retry after any failure converges.
 */
export function createPublishChargePoints(deps: ActivityDeps) {
  return async function publishChargePoints(input: PublishChargePointsInput): Promise<PublishChargePointsResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const { workflowId, runId } = currentRun();
      const store = deps.openStore(input.destination);
      const history = historyPrefix(input.runStartedAt, runId);
      const historyCsvKey = `${history}${CHARGE_POINTS_DATASET.csvFileName}`;
      const historyFeedsKey = `${history}${CHARGE_POINTS_FEEDS_FILE_NAME}`;
      const historyManifestKey = `${history}${CHARGE_POINTS_DATASET.historyManifestFileName}`;

      return withHeartbeat({ step: 'copying to history' }, async (report) => {
        // After a retry that follows a completed cleanup, staging is gone but history holds the CSV.
        const existing = await store.head(historyCsvKey);
        if (existing?.size !== input.csvBytes) await store.copy(input.csvKey, historyCsvKey);
        await putOnce(store, historyFeedsKey, feedHealthJson(input.feeds));

        const manifest: ChargePointsManifest = {
          manifestVersion: 1,
          dataset: 'charge_points_UK',
          stats: input.stats,
          csv: { key: historyCsvKey, uri: store.uriFor(historyCsvKey), bytes: input.csvBytes, sha256: input.csvSha256 },
          feeds: {
            ...feedStatusCounts(input.feeds),
            feedsKey: historyFeedsKey,
            feedsUri: store.uriFor(historyFeedsKey),
          },
          workflowId,
          runId,
          runStartedAt: input.runStartedAt,
          codeVersion: deps.codeVersion,
        };
        await putOnce(store, historyManifestKey, manifestJson(manifest));

        report({ step: 'publishing' });
        const outcome = await publishStable(store, CHARGE_POINTS_DATASET, manifest, {
          force: input.force,
          maxDropFraction: deps.config.publishMaxDropFraction,
        });
        if (outcome.action === 'refused') {
          throw publishRefusal(store, CHARGE_POINTS_DATASET, historyCsvKey, outcome.reason);
        }
        if (outcome.action !== 'superseded') {
          report({ step: 'publishing feed health' });
          await placeStableFeedHealth(store, manifest);
        }

        report({ step: 'removing staging' });
        await store.deletePrefix(stagingPrefix(workflowId, runId));
        return {
          historyCsvUri: store.uriFor(historyCsvKey),
          manifestUri: store.uriFor(historyManifestKey),
          feedsUri: store.uriFor(historyFeedsKey),
          stableUri: store.uriFor(CHARGE_POINTS_DATASET.stableCsvKey),
          stableFeedsUri: store.uriFor(CHARGE_POINTS_STABLE_FEEDS_KEY),
          published: outcome.action === 'published',
          unchanged: outcome.action === 'unchanged',
          reason: outcome.reason,
          durationMs: Date.now() - started,
        };
      });
    });
  };
}

/** Written once: a retry finds the object (with the same content) and adds no second version. */
async function putOnce(store: BlobStore, key: string, body: string): Promise<void> {
  if ((await store.head(key)) === undefined) await store.put(key, body, { contentType: 'application/json' });
}
