import { randomBytes } from 'node:crypto';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/domain/errors';
import type { MinioServer } from '../../src/services/minioServer';
import { minioS3ClientConfig } from '../../src/services/minioServer';
import type { BlobStore } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { type S3Store } from '../../src/storage/s3Store';
import { describeBlobStoreContract } from '../support/blobStoreContract';
import { generatedBody, readText } from '../support/generatedBody';
import { createBucket, sharedMinio, sharedMinioS3Config, startOwnMinio, uniqueBucketName } from '../support/services';

let bucket: string;

beforeAll(async () => {
  bucket = await createBucket(uniqueBucketName('storage-s3'));
});

/** A store under its own prefix of this file's bucket on the shared MinIO. */
function freshStore(): BlobStore {
  return openBlobStore(`s3://${bucket}/runs/${randomBytes(4).toString('hex')}`, {
    s3ClientConfig: sharedMinioS3Config(),
  });
}

describeBlobStoreContract('S3Store on MinIO', {
  freshStore: async () => freshStore(),
  assertNoLeftovers: async (store, key) => {
    const { bucket: storeBucket, prefix } = store as S3Store;
    const client = new S3Client(sharedMinioS3Config());
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: storeBucket, Prefix: prefix + key }));
    client.destroy();
    expect(uploads.Uploads ?? []).toEqual([]);
  },
});

/** The StorageError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
async function storageErrorOf(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

describe('S3Store failures', () => {
  it('normalises the destination into its root URI', () => {
    const store = openBlobStore(`s3://${bucket}/a/b`, { s3ClientConfig: sharedMinioS3Config() });
    expect(store.rootUri).toBe(`s3://${bucket}/a/b/`);
    expect(store.uriFor('x.csv')).toBe(`s3://${bucket}/a/b/x.csv`);
  });

  it('reports a missing bucket as permanent, naming the URI and the operation', async () => {
    const missing = uniqueBucketName('missing');
    const store = openBlobStore(`s3://${missing}/out/`, { s3ClientConfig: sharedMinioS3Config() });
    const error = await storageErrorOf(store.verifyAccess());
    expect(error.retryable).toBe(false);
    expect(error.details).toEqual({ uri: `s3://${missing}/out/`, operation: 'verifyAccess' });
    expect(error.message).toContain(`s3://${missing}/out/`);
    expect(error.message).toMatch(/bucket does not exist/);

    const putError = await storageErrorOf(store.put('x.csv', 'x'));
    expect(putError.retryable).toBe(false);
    expect(putError.message).toContain(`put s3://${missing}/out/x.csv`);
  });

  it('reports an unknown access key as permanent, without leaking the secret', async () => {
    const secretAccessKey = `secret-${randomBytes(12).toString('hex')}`;
    const store = openBlobStore(`s3://${bucket}/`, {
      s3ClientConfig: { ...sharedMinioS3Config(), credentials: { accessKeyId: 'not-a-known-key', secretAccessKey } },
    });
    const error = await storageErrorOf(store.verifyAccess());
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/check the worker's AWS credentials/);
    expect(error.message).toContain('InvalidAccessKeyId');
    expect(error.message).not.toContain(secretAccessKey);
  });

  it('reports a wrong secret key as permanent, without leaking either key', async () => {
    const secretAccessKey = `secret-${randomBytes(12).toString('hex')}`;
    const { accessKeyId } = sharedMinio();
    const store = openBlobStore(`s3://${bucket}/`, {
      s3ClientConfig: { ...sharedMinioS3Config(), credentials: { accessKeyId, secretAccessKey } },
    });
    const error = await storageErrorOf(store.put('x.csv', 'x'));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('SignatureDoesNotMatch');
    expect(error.message).not.toContain(secretAccessKey);
    expect(error.message).not.toContain(sharedMinio().secretAccessKey);
  });

  describe('when the endpoint goes down', () => {
    let minio: MinioServer;
    let store: BlobStore;

    beforeAll(async () => {
      minio = await startOwnMinio();
      await minio.createBucket('outage');
      store = openBlobStore('s3://outage/runs/', { s3ClientConfig: minioS3ClientConfig(minio) });
      await store.put('before.csv', 'written before the outage');
    });

    afterAll(async () => {
      await minio?.stop();
    });

    it('reports it as retryable within seconds, and works again once it is back', async () => {
      await minio.halt();
      const started = Date.now();
      const verifyError = await storageErrorOf(store.verifyAccess());
      expect(verifyError.retryable).toBe(true);
      expect(verifyError.message).toMatch(/could not reach the S3 endpoint/);
      const putError = await storageErrorOf(store.put('during.csv', generatedBody(12 * 1024 * 1024)));
      expect(putError.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(20_000);

      await minio.start();
      await store.verifyAccess();
      expect(await readText(await store.get('before.csv'))).toBe('written before the outage');
      expect(await store.head('during.csv')).toBeUndefined();
    });
  });
});
