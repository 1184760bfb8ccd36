import { PublishRefusedError } from '../domain/errors';
import type { DatasetDescriptor, PublishableManifest } from '../domain/datasets';
import type { BlobStore } from '../storage/blobStore';

/** The error that fails a run for good when the publish guard objects: where the new CSV is, and how to publish it anyway. */
export function publishRefusal<M extends PublishableManifest>(
  store: BlobStore,
  dataset: DatasetDescriptor<M>,
  historyCsvKey: string,
  reason: string,
): PublishRefusedError {
  const historyUri = store.uriFor(historyCsvKey);
  return new PublishRefusedError(
    `publish guard refused to replace ${store.uriFor(dataset.stableCsvKey)}: ${reason}; ` +
      `the new CSV is kept at ${historyUri}; rerun with force to publish it anyway`,
    { historyUri },
  );
}
