import { text } from 'node:stream/consumers';
import { StorageError } from '../domain/errors';
import { STABLE_MANIFEST_KEY, type Manifest } from '../domain/manifest';
import type { BlobStore } from '../storage/blobStore';

/** The stable manifest as read, with the version to replace conditionally. */
export interface PublishedManifest {
  /** Undefined before the first publish. */
  manifest?: Manifest;
  /** Etag of the manifest object; undefined when there is none. */
  etag?: string;
}

/**
 * Reads `<prefix>manifest.json`. The etag is taken before the body: if another
 * run replaces the manifest in between, a put conditional on this etag fails,
 * so a decision made on the newer body can never overwrite a version it did not see.
 * A manifest that is not JSON fails for good: every run would trip over it.
 */
export async function readPublishedManifest(store: BlobStore): Promise<PublishedManifest> {
  const info = await store.head(STABLE_MANIFEST_KEY);
  if (info === undefined) return {};
  const body = await text(await store.get(STABLE_MANIFEST_KEY));
  const problem = (what: string): StorageError => {
    const uri = store.uriFor(STABLE_MANIFEST_KEY);
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
  if (!isManifest(parsed))
    throw problem('lacks the fields the publish guard compares (runId, runStartedAt, csv, stats)');
  return { manifest: parsed, etag: info.etag };
}

/** The fields publishing and conditional fetching rely on; the rest is informative. */
function isManifest(value: unknown): value is Manifest {
  const manifest = value as Partial<Manifest> | null;
  return (
    typeof manifest === 'object' &&
    manifest !== null &&
    typeof manifest.runId === 'string' &&
    typeof manifest.runStartedAt === 'string' &&
    typeof manifest.csv?.key === 'string' &&
    typeof manifest.csv.sha256 === 'string' &&
    typeof manifest.csv.bytes === 'number' &&
    typeof manifest.stats?.devicesKept === 'number'
  );
}
