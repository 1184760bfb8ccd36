import { text } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import { PublishRefusedError } from '../domain/errors';
import {
  CSV_FILE_NAME,
  MANIFEST_FILE_NAME,
  STABLE_CSV_KEY,
  STABLE_MANIFEST_KEY,
  historyPrefix,
  stagingPrefix,
  type Manifest,
} from '../domain/manifest';
import { decidePublish } from '../domain/publishDecision';
import type { TransformStats } from '../domain/stats';
import type { BlobStore } from '../storage/blobStore';
import type { ActivityDeps } from './deps';
import { classifyFailures } from './failures';
import { currentRun } from './runContext';

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
 * stable key the microservice reads (only if the publish guard agrees), then
 * the stable manifest, then staging is removed. Each step is idempotent, so a
 * retry after any failure converges on the same objects.
 */
export function createUpload(deps: ActivityDeps) {
  return async function upload(input: UploadInput): Promise<UploadResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const context = Context.current();
      const { workflowId, runId } = currentRun();
      const store = deps.openStore(input.destination);
      const history = historyPrefix(input.runStartedAt, runId);
      const historyCsvKey = `${history}${CSV_FILE_NAME}`;
      const historyManifestKey = `${history}${MANIFEST_FILE_NAME}`;

      // After a retry that follows a completed cleanup, staging is gone but history holds the CSV.
      const existing = await store.head(historyCsvKey);
      if (existing?.size !== input.csvBytes) await store.copy(input.csvKey, historyCsvKey);
      context.heartbeat('history copied');

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
      await store.put(historyManifestKey, `${JSON.stringify(manifest, null, 2)}\n`, { contentType: 'application/json' });

      const published = await readManifest(store, STABLE_MANIFEST_KEY);
      // A retry after the stable key was written finds its own manifest there: nothing left to publish.
      const alreadyOurs = published?.runId === runId;
      const decision = alreadyOurs
        ? ({ action: 'publish', reason: 'published by an earlier attempt of this run' } as const)
        : decidePublish(
            published,
            { csvSha256: input.csvSha256, devicesKept: input.stats.devicesKept, runStartedAt: input.runStartedAt },
            { force: input.force, maxDropFraction: deps.config.publishMaxDropFraction },
          );
      if (decision.action === 'refused') {
        throw new PublishRefusedError(
          `publish guard refused to replace ${store.uriFor(STABLE_CSV_KEY)}: ${decision.reason}; ` +
            `the new CSV is kept at ${store.uriFor(historyCsvKey)}; rerun with force to publish it anyway`,
          { historyUri: store.uriFor(historyCsvKey) },
        );
      }
      if (decision.action === 'publish' && !alreadyOurs) {
        await store.copy(historyCsvKey, STABLE_CSV_KEY);
        context.heartbeat('stable key replaced');
        await store.put(STABLE_MANIFEST_KEY, `${JSON.stringify(manifest, null, 2)}\n`, { contentType: 'application/json' });
      }

      await store.deletePrefix(stagingPrefix(workflowId, runId));
      return {
        historyCsvUri: store.uriFor(historyCsvKey),
        manifestUri: store.uriFor(historyManifestKey),
        stableUri: store.uriFor(STABLE_CSV_KEY),
        published: decision.action === 'publish',
        unchanged: decision.action === 'unchanged',
        reason: decision.reason,
        durationMs: Date.now() - started,
      };
    });
  };
}

async function readManifest(store: BlobStore, key: string): Promise<Manifest | undefined> {
  if ((await store.head(key)) === undefined) return undefined;
  return JSON.parse(await text(await store.get(key))) as Manifest;
}
