import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { findOrBuildMinio } from './binaries';
import { choosePort, LOOPBACK } from './freePort';
import { ServerProcess, type Log } from './serverProcess';

/** How to reach a MinIO server: plain data, so it can cross to test workers. */
export interface MinioCoordinates {
  /** http://127.0.0.1:port */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface MinioServerOptions {
  /** MinIO server to run; found or built (see findOrBuildMinio) when omitted. */
  executable?: string;
  /** S3 API port; a free one when omitted. */
  port?: number;
  /** Web console port; a free one when omitted. */
  consolePort?: number;
  /** Use free ports instead when `port` or `consolePort` is taken, rather than failing. */
  fallbackToFreePorts?: boolean;
  /** Root credentials; fresh random ones when omitted. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Directory holding the objects, kept on stop(); a temp dir removed on stop() when omitted. */
  dataDir?: string;
  log?: Log;
  startupTimeoutMs?: number;
}

export interface MinioServer extends MinioCoordinates {
  readonly dataDir: string;
  readonly consoleUrl: string;
  /** Creates a bucket; an existing one of ours is fine. */
  createBucket(name: string): Promise<void>;
  /** Kills the server at once, as a crash or outage would; data dir and port are kept for start(). */
  halt(): Promise<void>;
  /** Starts the server again on the same data dir, ports and credentials; no-op while running. */
  start(): Promise<void>;
  /** halt() then start(). */
  restart(): Promise<void>;
  /** Stops the server for good and removes its temp data dir. */
  stop(): Promise<void>;
}

export const MINIO_REGION = 'us-east-1';
const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

/** Starts `minio server` on 127.0.0.1 and resolves once it reports itself live and ready. */
export async function startMinioServer(options: MinioServerOptions = {}): Promise<MinioServer> {
  const log = options.log ?? (() => undefined);
  const fallback = options.fallbackToFreePorts ?? false;
  const executable = options.executable ?? (await findOrBuildMinio(log));
  const port = await choosePort(options.port, 'MinIO (S3 API)', fallback);
  const consolePort = await choosePort(options.consolePort, 'the MinIO console', fallback);
  const credentials = options.credentials ?? {
    accessKeyId: `ukc-${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(24).toString('hex'),
  };
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'uk-chargers-minio-')));
  const coordinates: MinioCoordinates = {
    endpoint: `http://${LOOPBACK}:${port}`,
    region: MINIO_REGION,
    ...credentials,
  };
  const args = [
    'server',
    dataDir,
    '--address',
    `${LOOPBACK}:${port}`,
    '--console-address',
    `${LOOPBACK}:${consolePort}`,
  ];
  const env = {
    ...process.env,
    MINIO_ROOT_USER: credentials.accessKeyId,
    MINIO_ROOT_PASSWORD: credentials.secretAccessKey,
  };
  const timeoutMs = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;

  let server: ServerProcess | undefined;
  const start = async (): Promise<void> => {
    if (server !== undefined && !server.hasExited) return;
    server = new ServerProcess('minio', executable, args, { env, log });
    await server.waitUntilReady(() => isReady(coordinates.endpoint), `ready on ${coordinates.endpoint}`, timeoutMs);
  };
  const halt = async (): Promise<void> => {
    await server?.kill();
  };

  try {
    await start();
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...coordinates,
    dataDir,
    consoleUrl: `http://${LOOPBACK}:${consolePort}`,
    createBucket: (name) => createMinioBucket(coordinates, name),
    halt,
    start,
    restart: async () => {
      await halt();
      await start();
    },
    stop: async () => {
      await server?.stop();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** S3 client settings that reach this MinIO with its root credentials. */
export function minioS3ClientConfig(minio: MinioCoordinates): S3ClientConfig {
  return {
    endpoint: minio.endpoint,
    region: minio.region,
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    forcePathStyle: true,
  };
}

/** The environment the worker and CLI read to reach this MinIO through the AWS SDK's default chains. */
export function minioEnvironment(minio: MinioCoordinates): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: minio.endpoint,
    AWS_ACCESS_KEY_ID: minio.accessKeyId,
    AWS_SECRET_ACCESS_KEY: minio.secretAccessKey,
    AWS_REGION: minio.region,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

/** Creates bucket `name` on the MinIO at `minio`; one that already exists and is ours is fine. */
export async function createMinioBucket(minio: MinioCoordinates, name: string): Promise<void> {
  const client = new S3Client(minioS3ClientConfig(minio));
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
  } finally {
    client.destroy();
  }
}

/** MinIO answers 200 on /minio/health/live once it listens and on /minio/health/ready once it can serve requests. */
async function isReady(endpoint: string): Promise<boolean> {
  for (const path of ['/minio/health/live', '/minio/health/ready']) {
    const response = await fetch(endpoint + path, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return false;
  }
  return true;
}
