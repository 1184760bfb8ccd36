import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOOPBACK } from '../../src/services/freePort';
import { minioS3ClientConfig } from '../../src/services/minioServer';
import { startTemporalDevServer } from '../../src/services/temporalDevServer';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { readText } from '../support/generatedBody';
import { sharedTemporal, startOwnMinio } from '../support/services';

describe('local services', () => {
  let blocker: Server;
  let blockedPort: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, LOOPBACK, resolve));
    blockedPort = (blocker.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('hands the shared Temporal dev server to tests', async () => {
    const { address, namespace } = sharedTemporal();
    const connection = await Connection.connect({ address });
    try {
      const answer = await connection.workflowService.describeNamespace({ namespace });
      expect(answer.namespaceInfo?.name).toBe(namespace);
    } finally {
      await connection.close();
    }
  });

  it('says why a Temporal dev server could not start, quoting its output', async () => {
    const executable = inject('serviceBinaries').temporalCli;
    const failure = startTemporalDevServer({ executable, dbFilename: '/nonexistent-dir/temporal.db' });
    await expect(failure).rejects.toThrow(/temporal exited before .*exit code 1.*its last output:\n.*nonexistent-dir/s);
  });

  it('refuses a port in use unless told to fall back to a free one', async () => {
    const executable = inject('serviceBinaries').temporalCli;
    await expect(startTemporalDevServer({ executable, port: blockedPort })).rejects.toThrow(
      `port ${LOOPBACK}:${blockedPort} is already in use`,
    );
    const server = await startTemporalDevServer({ executable, port: blockedPort, fallbackToFreePorts: true });
    try {
      expect(server.address).not.toBe(`${LOOPBACK}:${blockedPort}`);
    } finally {
      await server.stop();
    }
  });

  it('brings MinIO back on the same port with its data after a crash, and cleans up on stop', async () => {
    const minio = await startOwnMinio();
    try {
      await minio.createBucket('survivor');
      const store = openBlobStore('s3://survivor/', { s3ClientConfig: minioS3ClientConfig(minio) });
      await store.put('kept.csv', 'still here');
      await minio.restart();
      expect(await readText(await store.get('kept.csv'))).toBe('still here');
    } finally {
      await minio.stop();
    }
    await expect(stat(minio.dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
