import { randomBytes } from 'node:crypto';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import {
  createMinioBucket,
  minioS3ClientConfig,
  startMinioServer,
  type MinioCoordinates,
  type MinioServer,
  type MinioServerOptions,
} from '../../src/services/minioServer';
import type { TemporalCoordinates } from './providedContext';

/** The suite's Temporal dev server (started once by test/globalSetup.ts). Use your own task queue per test. */
export function sharedTemporal(): TemporalCoordinates {
  return inject('temporal');
}

/** The suite's MinIO (started once by test/globalSetup.ts). Use your own bucket per test file: see createBucket. */
export function sharedMinio(): MinioCoordinates {
  return inject('minio');
}

/** S3 client settings for the shared MinIO, for S3Store or openBlobStore's `s3ClientConfig`. */
export function sharedMinioS3Config(): S3ClientConfig {
  return minioS3ClientConfig(sharedMinio());
}

/** A valid bucket name no other test uses: `label` plus a random suffix. */
export function uniqueBucketName(label: string): string {
  const readable =
    label
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'test';
  return `${readable}-${randomBytes(4).toString('hex')}`;
}

/** Creates bucket `name` (default: a unique one) on the shared MinIO and returns its name. */
export async function createBucket(name: string = uniqueBucketName('bucket')): Promise<string> {
  await createMinioBucket(sharedMinio(), name);
  return name;
}

/**
 * A MinIO of the test's own, for tests that stop and restart the endpoint
 * (halt(), start(), restart()). Uses the binary globalSetup prepared; call
 * stop() when done (e.g. in afterAll) to kill it and remove its data dir.
 */
export async function startOwnMinio(options: Omit<MinioServerOptions, 'executable'> = {}): Promise<MinioServer> {
  return startMinioServer({ ...options, executable: inject('serviceBinaries').minio });
}
