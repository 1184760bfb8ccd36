import { pipeline } from 'node:stream';
import { Context } from '@temporalio/activity';
import { DigestStream } from '../streams/digestStream';
import { CHARGER_MODELS_DATASET } from '../domain/datasets';
import { MANIFEST_FILE_NAME, STABLE_CSV_KEY, historyPrefix, stagingPrefix, type Manifest } from '../domain/manifest';
import { redactUrl } from '../domain/redact';
import type { TransformStats } from '../domain/stats';
import type { ConditionalHeaders } from '../source/registrySource';
import type { BlobStore } from '../storage/blobStore';
import type { ActivityDeps } from './deps';
import { classifyFailures } from './failures';
import { withHeartbeat } from './heartbeat';
import { readPublishedManifest } from '../publish/publishedManifest';
import { currentRun } from './runContext';

export interface FetchDataInput {
  sourceUrl?: string;
  destination: string;
  /** Fetch unconditionally, even when the published run's validators would allow a 304. */
  force?: boolean;
}

/** The payload was downloaded into staging. */
export interface FetchedPayload {
  notModified: false;
  /** Staging key of the decoded payload (claim check: the payload itself never enters Temporal). */
  rawKey: string;
  bytes: number;
  sha256: string;
  fetchedAt: string;
  etag?: string;
  lastModified?: string;
  /** As the registry declared it; named in payload errors. */
  contentType?: string;
  durationMs: number;
}

/** The registry answered 304 to the published run's validators: the published dataset is current. */
export interface SourceNotModified {
  notModified: true;
  published: PublishedDataset;
  durationMs: number;
}

export type FetchDataResult = FetchedPayload | SourceNotModified;

/** What the report of a run that ended at a 304 says about the dataset it left in place. */
export interface PublishedDataset {
  runId: string;
  rawBytes: number;
  rawSha256: string;
  stats: TransformStats;
  csv: { uri: string; sha256: string; bytes: number };
  manifestUri: string;
  stableUri: string;
}

/**
 * Streams the registry's body (gunzipped) into staging storage, hashing and
 * counting it on the way. Unless forced, the request carries the validators
 * (ETag, Last-Modified) the published run recorded for the same source, and a
 * 304 ends the fetch without a download. The staging key depends only on the
 * run, and writes are atomic, so a retry or a new worker after a crash simply
 * writes it again.
 */
export function createFetchData(deps: ActivityDeps) {
  return async function fetchData(input: FetchDataInput): Promise<FetchDataResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const context = Context.current();
      const { workflowId, runId } = currentRun();
      const store = deps.openStore(input.destination);
      const rawKey = `${stagingPrefix(workflowId, runId)}raw.json`;
      const sourceUrl = input.sourceUrl ?? deps.config.sourceUrl;

      return withHeartbeat({ bytesFetched: 0 }, async (report) => {
        const published = input.force
          ? undefined
          : (await readPublishedManifest(store, CHARGER_MODELS_DATASET)).manifest;
        const fetchedAt = (deps.now?.() ?? new Date()).toISOString();
        const response = await deps.source.open(sourceUrl, {
          conditional: published && validatorsFor(published, sourceUrl),
          signal: context.cancellationSignal,
        });
        if (response.notModified) {
          // Only sent validators can earn a 304, so `published` is set here.
          return {
            notModified: true,
            published: describePublished(store, published!),
            durationMs: Date.now() - started,
          };
        }
        const digest = new DigestStream((bytes) => report({ bytesFetched: bytes }));
        // pipeline destroys both streams on any error: a broken body fails the put (which
        // then leaves no object), and a failed put closes the connection.
        pipeline(response.body, digest, () => undefined);
        try {
          await store.put(rawKey, digest, { contentType: 'application/json' });
        } catch (error) {
          // When the body failed (truncated, too large, stalled), the store only saw its input
          // end badly: the source's own error says what happened and whether to retry.
          throw response.body.errored ?? error;
        }
        report({ bytesFetched: digest.bytes });
        return {
          notModified: false,
          rawKey,
          bytes: digest.bytes,
          sha256: digest.sha256(),
          fetchedAt,
          etag: response.metadata.etag,
          lastModified: response.metadata.lastModified,
          contentType: response.metadata.contentType,
          durationMs: Date.now() - started,
        };
      });
    });
  };
}

/** The published run's validators, if it fetched the same URL; another source's validators mean nothing here. */
function validatorsFor(published: Manifest, sourceUrl: string): ConditionalHeaders | undefined {
  if (published.sourceUrl !== redactUrl(sourceUrl)) return undefined;
  const { etag, lastModified } = published.source;
  return etag || lastModified ? { etag, lastModified } : undefined;
}

function describePublished(store: BlobStore, manifest: Manifest): PublishedDataset {
  return {
    runId: manifest.runId,
    rawBytes: manifest.raw.bytes,
    rawSha256: manifest.raw.sha256,
    stats: manifest.stats,
    csv: { uri: manifest.csv.uri, sha256: manifest.csv.sha256, bytes: manifest.csv.bytes },
    manifestUri: store.uriFor(`${historyPrefix(manifest.runStartedAt, manifest.runId)}${MANIFEST_FILE_NAME}`),
    stableUri: store.uriFor(STABLE_CSV_KEY),
  };
}
