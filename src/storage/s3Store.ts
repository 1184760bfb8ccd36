import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobChangedError, BlobNotFoundError, StorageError } from '../domain/errors';
import { observeErrors } from '../streams/failStream';
import { assertValidKey, type KeyKind } from './blobKey';
import type { BlobInfo, BlobStore, PutOptions } from './blobStore';
import { s3StorageError } from './s3Errors';

/** Multipart upload tuning: at most partSize × (queueSize + 1) bytes of a body are in memory at once. */
export interface S3UploadTuning {
  /** Bytes per part; S3 needs at least 5 MiB. */
  partSizeBytes: number;
  /** Parts uploaded in parallel. */
  queueSize: number;
}

const DEFAULT_UPLOAD_TUNING: S3UploadTuning = { partSizeBytes: 8 * 1024 * 1024, queueSize: 2 };

/** DeleteObjects accepts at most this many keys per request. */
const DELETE_BATCH_SIZE = 1000;

/**
 * A BlobStore over `s3://bucket/prefix/`. Puts stream through a multipart
 * upload that S3 only assembles into an object on completion, and aborts on
 * failure, so a failed put leaves the previous object untouched and no
 * partial one behind. Every error becomes a StorageError (see s3StorageError).
 */
export class S3Store implements BlobStore {
  readonly rootUri: string;

  /** @param prefix '' or a key prefix ending with '/'. */
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    readonly prefix: string,
    private readonly uploadTuning: S3UploadTuning = DEFAULT_UPLOAD_TUNING,
  ) {
    this.rootUri = `s3://${bucket}/${prefix}`;
  }

  uriFor(key: string): string {
    return this.rootUri + key;
  }

  async put(key: string, body: Readable | Buffer | string, options: PutOptions = {}): Promise<BlobInfo> {
    // The body may fail before the upload reads it: that error is put()'s to report.
    if (body instanceof Readable) observeErrors(body);
    const objectKey = this.objectKey(key, 'key', 'put');
    const upload = new Upload({
      client: this.client,
      // lib-storage passes IfMatch/IfNoneMatch to PutObject, or to CompleteMultipartUpload for a
      // multipart body, so the condition is checked when the object would become visible.
      params: {
        Bucket: this.bucket,
        Key: objectKey,
        Body: body,
        ContentType: options.contentType,
        IfMatch: options.ifMatch,
        IfNoneMatch: options.ifNoneMatch,
      },
      partSize: this.uploadTuning.partSizeBytes,
      queueSize: this.uploadTuning.queueSize,
      // Abort the multipart upload on failure: its parts are invisible but billed until aborted.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      if (body instanceof Readable) body.destroy();
      // S3 answers If-Match on a key that is gone with 404 NoSuchKey: the version read has changed too.
      if (isConditionFailure(error) || (options.ifMatch !== undefined && isNoSuchKey(error))) {
        throw new BlobChangedError(this.uriFor(key), 'put');
      }
      throw s3StorageError(error, { uri: this.uriFor(key), operation: 'put' });
    }
    return this.requireHead(key, 'put');
  }

  async get(key: string): Promise<Readable> {
    const objectKey = this.objectKey(key, 'key', 'get');
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      if (!(response.Body instanceof Readable)) throw new Error('GetObject returned no readable body');
      return response.Body;
    } catch (error) {
      if (isNoSuchKey(error)) throw new BlobNotFoundError(this.uriFor(key), 'get');
      throw s3StorageError(error, { uri: this.uriFor(key), operation: 'get' });
    }
  }

  /** Undefined for a missing key, and also for a missing bucket: a HEAD's bare 404 does not say which. */
  async head(key: string): Promise<BlobInfo | undefined> {
    return this.headObject(key, 'head');
  }

  async copy(fromKey: string, toKey: string): Promise<BlobInfo> {
    const sourceKey = this.objectKey(fromKey, 'key', 'copy');
    const targetKey = this.objectKey(toKey, 'key', 'copy');
    try {
      // Server-side copy in one request: atomic, but limited to objects of at most
      // 5 GB (larger ones need UploadPartCopy); our CSVs are far smaller.
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: targetKey,
          CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
    } catch (error) {
      if (isNoSuchKey(error)) throw new BlobNotFoundError(this.uriFor(fromKey), 'copy');
      throw s3StorageError(error, { uri: this.uriFor(toKey), operation: 'copy' });
    }
    return this.requireHead(toKey, 'copy');
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    const objectPrefix = this.objectKey(prefix, 'prefix', 'list');
    try {
      for await (const page of paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.bucket, Prefix: objectPrefix },
      )) {
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          const key = object.Key.slice(this.prefix.length);
          yield {
            key,
            size: object.Size ?? 0,
            etag: this.requireEtag(object.ETag, key, 'list'),
            lastModified: object.LastModified,
          };
        }
      }
    } catch (error) {
      throw s3StorageError(error, { uri: this.uriFor(prefix), operation: 'list' });
    }
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key, 'key', 'delete');
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    } catch (error) {
      throw s3StorageError(error, { uri: this.uriFor(key), operation: 'delete' });
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    this.objectKey(prefix, 'prefix', 'deletePrefix');
    let batch: string[] = [];
    for await (const { key } of this.list(prefix)) {
      batch.push(this.prefix + key);
      if (batch.length === DELETE_BATCH_SIZE) {
        await this.deleteBatch(batch, prefix);
        batch = [];
      }
    }
    if (batch.length > 0) await this.deleteBatch(batch, prefix);
  }

  async verifyAccess(): Promise<void> {
    const probeKey = `${this.prefix}.verify-access-${randomBytes(6).toString('hex')}`;
    try {
      // A GET, not HeadBucket: HEAD answers have no body, so a 403 would not say which credential is wrong.
      await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 1 }));
      // Existence is not permission: prove we can write (and clean up) under the prefix.
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: probeKey, Body: 'ok' }));
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probeKey }));
    } catch (error) {
      throw s3StorageError(error, { uri: this.rootUri, operation: 'verifyAccess' });
    }
  }

  /** The bucket key for a validated store key or prefix. */
  private objectKey(key: string, kind: KeyKind, operation: string): string {
    assertValidKey(key, kind, { rootUri: this.rootUri, operation });
    return this.prefix + key;
  }

  private async headObject(key: string, operation: string): Promise<BlobInfo | undefined> {
    const objectKey = this.objectKey(key, 'key', operation);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return {
        key,
        size: response.ContentLength ?? 0,
        etag: this.requireEtag(response.ETag, key, operation),
        lastModified: response.LastModified,
      };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw s3StorageError(error, { uri: this.uriFor(key), operation });
    }
  }

  /** S3 always reports an ETag; an endpoint that does not cannot take part in conditional writes. */
  private requireEtag(etag: string | undefined, key: string, operation: string): string {
    if (etag) return etag;
    throw new StorageError(`${operation} ${this.uriFor(key)}: the S3 endpoint reported no ETag`, false, {
      uri: this.uriFor(key),
      operation,
    });
  }

  /** Metadata of an object just written; its absence means the write did not take. */
  private async requireHead(key: string, operation: string): Promise<BlobInfo> {
    const info = await this.headObject(key, operation);
    if (info === undefined) {
      throw new StorageError(`${operation} ${this.uriFor(key)}: the object is missing right after the write`, true, {
        uri: this.uriFor(key),
        operation,
      });
    }
    return info;
  }

  private async deleteBatch(objectKeys: string[], prefix: string): Promise<void> {
    const where = { uri: this.uriFor(prefix), operation: 'deletePrefix' };
    let errors;
    try {
      const response = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: objectKeys.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      errors = response.Errors ?? [];
    } catch (error) {
      throw s3StorageError(error, where);
    }
    const [first] = errors;
    if (first !== undefined) {
      // DeleteObjects answers 200 and reports failures per key; classify the first like a failed call.
      const classified = s3StorageError(new Error(first.Message ?? 'not deleted'), where, first.Code ?? 'Unknown');
      const message = `${classified.message}; ${errors.length} of ${objectKeys.length} keys not deleted, first ${first.Key}`;
      throw new StorageError(message, classified.retryable, where);
    }
  }
}

/**
 * True when a conditional write was refused because the key changed: 412 Precondition
 * Failed, or 409 when S3 saw a concurrent conditional write to the same key.
 */
function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict';
}

/** True for a missing object: NoSuchKey from a GET or copy, or a bare 404 NotFound from a HEAD. */
function isNoSuchKey(error: unknown): boolean {
  const shaped = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  if (shaped?.name === 'NoSuchKey') return true;
  return shaped?.name === 'NotFound' && shaped.$metadata?.httpStatusCode === 404;
}
