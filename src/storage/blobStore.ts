import type { Readable } from 'node:stream';

export interface BlobInfo {
  /** Key relative to the store's root (the destination prefix). */
  key: string;
  size: number;
  /** Opaque version tag: changes whenever the object is replaced. What `ifMatch` compares with. */
  etag: string;
  lastModified?: Date;
}

export interface PutOptions {
  contentType?: string;
  /**
   * Write only if the key is still the version head() reported with this etag;
   * otherwise throw BlobChangedError and leave the key alone (compare-and-swap).
   */
  ifMatch?: string;
  /** `'*'`: write only if the key does not exist yet; otherwise throw BlobChangedError. */
  ifNoneMatch?: '*';
}

/**
 * One interface over the places we publish to: an S3 bucket prefix or a local
 * directory. Keys are relative to the store's root and use '/' separators.
 * Every write is atomic: readers see the old object or the complete new one,
 * never a partial object, so a retried or killed write leaves nothing broken.
 * Conditional puts (`ifMatch`, `ifNoneMatch`) let concurrent writers of one
 * key detect each other instead of overwriting each other.
 */
export interface BlobStore {
  /** The destination as the user wrote it, normalised: `s3://bucket/prefix/` or `file:///abs/dir/`. */
  readonly rootUri: string;
  /** Full URI of a key, for reports and messages. */
  uriFor(key: string): string;
  /** Streams `body` to `key`, replacing any existing object atomically (only if `options` allow). */
  put(key: string, body: Readable | Buffer | string, options?: PutOptions): Promise<BlobInfo>;
  /** Opens `key` for streaming reads; throws BlobNotFoundError if absent. */
  get(key: string): Promise<Readable>;
  /** Metadata of `key`, or undefined if absent. */
  head(key: string): Promise<BlobInfo | undefined>;
  /** Copies `fromKey` to `toKey` within the store (server-side where possible), atomically. */
  copy(fromKey: string, toKey: string): Promise<BlobInfo>;
  /** Every object whose key starts with `prefix`. */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /** Removes `key`; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every object under `prefix`; idempotent. */
  deletePrefix(prefix: string): Promise<void>;
  /** Checks that the destination exists and is writable; throws StorageError otherwise. */
  verifyAccess(): Promise<void>;
}
