import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { BlobStore } from './blobStore';
import { parseDestination } from './destination';
import { FileStore } from './fileStore';
import { createS3Client } from './s3Client';
import { S3Store, type S3UploadTuning } from './s3Store';

export interface OpenBlobStoreOptions {
  /** Base for relative `file:` paths; defaults to process.cwd(). */
  cwd?: string;
  /**
   * S3 client settings for this store only (tests point a store at MinIO). Without
   * them every S3 store shares one client built from the environment.
   */
  s3ClientConfig?: S3ClientConfig;
  s3UploadTuning?: S3UploadTuning;
}

let sharedS3Client: S3Client | undefined;

/** Opens the store for `destination`; throws ConfigError naming it when it is not a valid destination. */
export function openBlobStore(destination: string, options: OpenBlobStoreOptions = {}): BlobStore {
  const parsed = parseDestination(destination, options.cwd);
  if (parsed.kind === 'file') return new FileStore(parsed.dir);
  const client = options.s3ClientConfig
    ? createS3Client(options.s3ClientConfig)
    : (sharedS3Client ??= createS3Client());
  return new S3Store(client, parsed.bucket, parsed.prefix, options.s3UploadTuning);
}
