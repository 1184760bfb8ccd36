import { runSearchAttributeDeclarations } from '../src/visibility/runMemo';
import { findOrBuildMinio, findOrBuildTemporalCli } from '../src/services/binaries';
import { minioEnvironment, startMinioServer, type MinioServer } from '../src/services/minioServer';
import { startTemporalDevServer, type TemporalDevServer } from '../src/services/temporalDevServer';

/**
 * `npm run dev:services`: a Temporal dev server (gRPC 7233, Web UI 8233) and
 * MinIO (S3 API 9000, console 9001) in the foreground, building them on
 * first use. Prints the settings the worker and CLI need as `export` lines
 * and stops both on Ctrl-C or SIGTERM. State lives only as long as they run.
 */

const BUCKET = 'uk-chargers';
/** Well-known development credentials, like MinIO's own defaults: this MinIO only listens on 127.0.0.1. */
const DEV_CREDENTIALS = { accessKeyId: 'minioadmin', secretAccessKey: 'minioadmin' };

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(): Promise<void> {
  const [temporalCli, minioPath] = await Promise.all([findOrBuildTemporalCli(log), findOrBuildMinio(log)]);
  const services: Array<TemporalDevServer | MinioServer> = [];
  let stopping = false;
  const stopAll = async (exitCode: number): Promise<void> => {
    // Ctrl-C reaches us twice (from the terminal and relayed by tsx): the first one does the work.
    if (stopping) return;
    stopping = true;
    log('stopping Temporal and MinIO…');
    await Promise.allSettled(services.map((service) => service.stop()));
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const temporal = await startTemporalDevServer({
      executable: temporalCli,
      port: 7233,
      ui: true,
      uiPort: 8233,
      searchAttributes: runSearchAttributeDeclarations(),
      log,
    });
    services.push(temporal);
    const minio = await startMinioServer({
      executable: minioPath,
      port: 9000,
      consolePort: 9001,
      credentials: DEV_CREDENTIALS,
      log,
    });
    services.push(minio);
    await minio.createBucket(BUCKET);

    const settings: Record<string, string> = {
      TEMPORAL_ADDRESS: temporal.address,
      ...(temporal.uiUrl !== undefined && { TEMPORAL_UI_URL: temporal.uiUrl }),
      ...minioEnvironment(minio),
      DESTINATION: `s3://${BUCKET}/`,
    };
    for (const [name, value] of Object.entries(settings)) process.stdout.write(`export ${name}=${value}\n`);
    log(
      `\nTemporal Web UI: ${temporal.uiUrl}\nMinIO console:   ${minio.consoleUrl} (user ${DEV_CREDENTIALS.accessKeyId})\n` +
        'Paste the export lines above into another shell. Ctrl-C stops both; their data is discarded.',
    );
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    await stopAll(1);
  }
}

void main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
