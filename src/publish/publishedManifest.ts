import { text } from 'node:stream/consumers';
import { StorageError } from '../domain/errors';
import type { DatasetDescriptor, PublishableManifest } from '../domain/datasets';
import type { BlobStore } from '../storage/blobStore';

/** The stable manifest as read, with the version to replace conditionally. */
export interface PublishedManifest<M extends PublishableManifest> {
  /** Undefined before the first publish. */
  manifest?: M;
  /** Etag of the manifest object; undefined when there is none. */
  etag?: string;
}

/**
 * Reads the dataset's stable manifest (`<prefix>manifest.json` for charger_models_UK). The etag is taken before the body: if another
 * run replaces the manifest in between, a put conditional on this etag fails,
 * so a decision made on the newer body can never overwrite a version it did not see.
 * A manifest that is not JSON fails for good: every run would trip over it.
 */
export async function readPublishedManifest<M extends PublishableManifest>(
  store: BlobStore,
  dataset: DatasetDescriptor<M>,
): Promise<PublishedManifest<M>> {
  const info = await store.head(dataset.stableManifestKey);
  if (info === undefined) return {};
  const body = await text(await store.get(dataset.stableManifestKey));
  const problem = (what: string): StorageError => {
    const uri = store.uriFor(dataset.stableManifestKey);
    return new StorageError(
      `the published manifest ${uri} ${what}: restore it from history/ or delete it to publish afresh`,
      false,
      { uri, operation: 'readManifest' },
    );
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw problem(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isManifest(parsed, dataset))
    throw problem('lacks the fields the publish guard compares (runId, runStartedAt, csv, stats)');
  return { manifest: parsed, etag: info.etag };
}

/** The fields publishing and conditional fetching rely on; the rest is informative. */
function isManifest<M extends PublishableManifest>(value: unknown, dataset: DatasetDescriptor<M>): value is M {
  const manifest = value as (Partial<PublishableManifest> & { stats?: Record<string, unknown> }) | null;
  return (
    typeof manifest === 'object' &&
    manifest !== null &&
    typeof manifest.runId === 'string' &&
    typeof manifest.runStartedAt === 'string' &&
    typeof manifest.csv?.key === 'string' &&
    typeof manifest.csv.sha256 === 'string' &&
    typeof manifest.csv.bytes === 'number' &&
    typeof manifest.stats?.[dataset.keptLabel] === 'number'
  );
}
