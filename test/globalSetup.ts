import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { runSearchAttributeDeclarations } from '../src/visibility/runMemo';
import { findOrBuildMinio, findOrBuildTemporalCli } from '../src/services/binaries';
import { startMinioServer } from '../src/services/minioServer';
import { startTemporalDevServer } from '../src/services/temporalDevServer';
import './support/providedContext'; // declares the keys provided below

/** Only a Go build or the wait for another process's build speaks: a first run takes minutes. */
const log = (line: string): void => {
  process.stderr.write(`[test services] ${line}\n`);
};

/**
 * Builds the Temporal CLI and MinIO if this machine has never run the suite
 * (several minutes, once), then starts one headless Temporal dev server and
 * one MinIO shared by every test file. A service that cannot be built or
 * started fails the run: integration tests are never skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [temporalCli, minioPath] = await Promise.all([findOrBuildTemporalCli(log), findOrBuildMinio(log)]).catch(
    (error: unknown) => {
      throw servicesError('could not be built', error);
    },
  );
  const [temporal, minio] = await Promise.allSettled([
    // Registered as in production, so runs exercise their search attributes.
    startTemporalDevServer({ executable: temporalCli, searchAttributes: runSearchAttributeDeclarations() }),
    startMinioServer({ executable: minioPath }),
  ]);
  const started = [temporal, minio].flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.map((service) => service.stop()));
  };
  if (temporal.status === 'rejected' || minio.status === 'rejected') {
    await stopAll();
    const failures = [temporal, minio].flatMap((result): unknown[] =>
      result.status === 'rejected' ? [result.reason] : [],
    );
    throw servicesError('could not be started', new AggregateError(failures, failures.map(messageOf).join('\n')));
  }

  project.provide('temporal', { address: temporal.value.address, namespace: temporal.value.namespace });
  const { endpoint, accessKeyId, secretAccessKey, region } = minio.value;
  project.provide('minio', { endpoint, accessKeyId, secretAccessKey, region });
  project.provide('serviceBinaries', { temporalCli, minio: minioPath });
  return stopAll;
}

function servicesError(what: string, cause: unknown): Error {
  return new Error(`the integration test services ${what}: ${messageOf(cause)}`, { cause });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
