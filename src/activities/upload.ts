import { CHARGER_MODELS_DATASET } from '../domain/datasets';
import { historyPrefix, stagingPrefix, type Manifest } from '../domain/manifest';
import type { TransformStats } from '../domain/stats';
import type { ActivityDeps } from './deps';
import { classifyFailures } from './failures';
import { withHeartbeat } from './heartbeat';
import { currentRun } from './runContext';
import { publishRefusal } from '../publish/publishRefusal';
import { manifestJson, publishStable } from '../publish/stablePublisher';

export interface UploadInput {
  destination: string;
  csvKey: string;
  csvSha256: string;
  csvBytes: number;
  stats: TransformStats;
  /** Redacted source URL, for the manifest. */
  sourceUrl: string;
  raw: { bytes: number; sha256: string; fetchedAt: string; etag?: string; lastModified?: string };
  runStartedAt: string;
  force: boolean;
}

export interface UploadResult {
  historyCsvUri: string;
  manifestUri: string;
  stableUri: string;
  published: boolean;
  unchanged: boolean;
  /** Why the stable key was or was not replaced. */
  reason: string;
  durationMs: number;
}

/**
 * Publishes the staged CSV: first a history copy with its manifest, then the
 * stable key the microservice reads (see publishStable: only if the publish guard
 * and the order of overlapping runs allow), then staging is removed. Each step is
 * idempotent, so a retry after any failure converges on the same objects.
 */
export function createUpload(deps: ActivityDeps) {
  return async function upload(input: UploadInput): Promise<UploadResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const { workflowId, runId } = currentRun();
      const store = deps.openStore(input.destination);
      const history = historyPrefix(input.runStartedAt, runId);
      const historyCsvKey = `${history}${CHARGER_MODELS_DATASET.csvFileName}`;
      const historyManifestKey = `${history}${CHARGER_MODELS_DATASET.historyManifestFileName}`;

      return withHeartbeat({ step: 'copying to history' }, async (report) => {
        // After a retry that follows a completed cleanup, staging is gone but history holds the CSV.
        const existing = await store.head(historyCsvKey);
        if (existing?.size !== input.csvBytes) await store.copy(input.csvKey, historyCsvKey);

        const manifest: Manifest = {
          manifestVersion: 1,
          dataset: 'charger_models_UK',
          sourceUrl: input.sourceUrl,
          fetchedAt: input.raw.fetchedAt,
          source: { etag: input.raw.etag, lastModified: input.raw.lastModified },
          raw: { bytes: input.raw.bytes, sha256: input.raw.sha256 },
          stats: input.stats,
          csv: { key: historyCsvKey, uri: store.uriFor(historyCsvKey), bytes: input.csvBytes, sha256: input.csvSha256 },
          workflowId,
          runId,
          runStartedAt: input.runStartedAt,
          codeVersion: deps.codeVersion,
        };
        // Written once: a retry finds it (with the same content) and adds no second version.
        if ((await store.head(historyManifestKey)) === undefined) {
          await store.put(historyManifestKey, manifestJson(manifest), { contentType: 'application/json' });
        }

        report({ step: 'publishing' });
        const outcome = await publishStable(store, CHARGER_MODELS_DATASET, manifest, {
          force: input.force,
          maxDropFraction: deps.config.publishMaxDropFraction,
        });
        if (outcome.action === 'refused') {
          throw publishRefusal(store, CHARGER_MODELS_DATASET, historyCsvKey, outcome.reason);
        }

        report({ step: 'removing staging' });
        await store.deletePrefix(stagingPrefix(workflowId, runId));
        return {
          historyCsvUri: store.uriFor(historyCsvKey),
          manifestUri: store.uriFor(historyManifestKey),
          stableUri: store.uriFor(CHARGER_MODELS_DATASET.stableCsvKey),
          published: outcome.action === 'published',
          unchanged: outcome.action === 'unchanged',
          reason: outcome.reason,
          durationMs: Date.now() - started,
        };
      });
    });
  };
}
