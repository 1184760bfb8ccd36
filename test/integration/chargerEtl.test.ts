import { execFile } from 'node:child_process';
import { Readable, PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/domain/manifest';
import type { RunReport } from '../../src/domain/runReport';
import { openBlobStore } from '../../src/storage/openBlobStore';
import type { BlobStore } from '../../src/storage/blobStore';
import { transformPayload } from '../../src/transform/pipeline';
import { progressQuery } from '../../src/workflows/definitions';
import { historyEventTexts } from '../support/runInspection';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { readBytes, readText } from '../support/generatedBody';
import { scaledPayload } from '../support/registryPayload';
import { createBucket, sharedTemporal } from '../support/services';

const execFileAsync = promisify(execFile);
const DEVICES = 20_000;
const PAYLOAD = scaledPayload(DEVICES);

let registry: FaultyRegistry;
let harness: EtlHarness;
let bucket: string;

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: PAYLOAD, gzip: true, etag: '"v1"' });
  bucket = await createBucket();
  // The worker's defaults point at this registry and bucket, so `--input '{}'` runs work too.
  harness = await startEtlHarness({ SOURCE_URL: registry.url('/ncr.json'), DESTINATION: `s3://${bucket}/defaults/` });
});

afterAll(async () => {
  await harness?.stop();
  await registry?.close();
});

async function offlineCsv(): Promise<Buffer> {
  const out = new PassThrough();
  const [csv] = await Promise.all([readBytes(out), transformPayload(Readable.from([PAYLOAD]), out)]);
  return csv;
}

function store(prefix: string): BlobStore {
  return openBlobStore(`s3://${bucket}/${prefix}`);
}

/** Every payload (input, result, heartbeat, signal …) recorded in the history, with its size. */
function payloadSizes(node: unknown, sizes: number[] = []): number[] {
  if (node instanceof Uint8Array) {
    sizes.push(node.byteLength);
  } else if (Array.isArray(node)) {
    for (const item of node) payloadSizes(item, sizes);
  } else if (node && typeof node === 'object') {
    for (const value of Object.values(node)) payloadSizes(value, sizes);
  }
  return sizes;
}

describe('chargerEtl on a real Temporal server and MinIO', () => {
  let report: RunReport;
  /** The server's start time of the run, which names its history folder (a run may cross midnight UTC). */
  let startedOn: string;
  const prefix = 'run1/';

  beforeAll(async () => {
    const handle = await harness.start({
      sourceUrl: registry.url('/ncr.json'),
      destination: `s3://${bucket}/${prefix}`,
    });
    report = await handle.result();
    startedOn = (await handle.describe()).startTime.toISOString().slice(0, 10);
  });

  it('reports what it did', () => {
    expect(report).toMatchObject({
      sourceUrl: registry.url('/ncr.json'),
      destination: `s3://${bucket}/${prefix}`,
      rawBytes: PAYLOAD.length,
      published: true,
      unchanged: false,
      stableUri: `s3://${bucket}/${prefix}charger_models_UK.csv`,
    });
    expect(report.stats.devicesSeen).toBe(DEVICES);
    expect(report.stats.devicesKept).toBe((DEVICES / 5) * 3);
    expect(report.stats.rows).toBeGreaterThan(100);
    expect(report.csv.uri).toBe(`s3://${bucket}/${prefix}history/${startedOn}/${report.runId}/charger_models_UK.csv`);
    for (const ms of Object.values(report.durationsMs)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('publishes a stable key equal to the offline transform, with history copy and manifests that agree', async () => {
    const destination = store(prefix);
    const expected = await offlineCsv();
    const stable = await readBytes(await destination.get('charger_models_UK.csv'));
    expect(stable.equals(expected)).toBe(true);

    const historyKey = report.csv.uri.slice(`s3://${bucket}/${prefix}`.length);
    expect((await readBytes(await destination.get(historyKey))).equals(expected)).toBe(true);

    const manifest = JSON.parse(
      await readText(await destination.get(historyKey.replace(/charger_models_UK\.csv$/, 'manifest.json'))),
    ) as Manifest;
    expect(manifest).toMatchObject({
      sourceUrl: registry.url('/ncr.json'),
      raw: { bytes: PAYLOAD.length, sha256: report.rawSha256 },
      stats: report.stats,
      csv: { sha256: report.csv.sha256, bytes: expected.length, uri: report.csv.uri },
      workflowId: report.workflowId,
      runId: report.runId,
      source: { etag: '"v1"' },
    });
    expect(manifest.codeVersion).toMatch(/^uk-chargers@/);
    expect(report.manifestUri).toBe(
      `s3://${bucket}/${prefix}${historyKey.replace(/charger_models_UK\.csv$/, 'manifest.json')}`,
    );
    const published = JSON.parse(await readText(await destination.get('manifest.json'))) as Manifest;
    expect(published).toEqual(manifest);
  });

  it('removes its staging area', async () => {
    const left = [];
    for await (const object of store(prefix).list('_staging/')) left.push(object.key);
    expect(left).toEqual([]);
  });

  it('keeps the dataset out of workflow history (claim check)', async () => {
    const history = await harness.client.workflow.getHandle(report.workflowId).fetchHistory();
    const sizes = payloadSizes(history.events);
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan(64 * 1024);
    // The payload itself is far larger than everything in history together.
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(PAYLOAD.length / 10);
  });

  it('answers the progress query after completion, and its history holds no signal', async () => {
    const progress = await harness.client.workflow.getHandle(report.workflowId).query(progressQuery);
    expect(progress).toEqual({ stage: 'done', fetchRounds: 1 });
    // Activities report progress as heartbeat details, which cost no history event.
    const types = (await historyEventTexts(harness.client, report.workflowId)).map((event) => event.type);
    expect(types).toContain('activityTaskCompleted');
    expect(types.filter((type) => /signal/i.test(type))).toEqual([]);
  });

  it('a second run of the same data leaves the stable key unchanged', async () => {
    const handle = await harness.start({
      sourceUrl: registry.url('/ncr.json'),
      destination: `s3://${bucket}/${prefix}`,
    });
    const again = await handle.result();
    expect(again).toMatchObject({ published: false, unchanged: true });
    expect(again.csv.sha256).toBe(report.csv.sha256);
    const published = JSON.parse(await readText(await store(prefix).get('manifest.json'))) as Manifest;
    expect(published.runId).toBe(report.runId);
  });
});

describe('the plain temporal CLI drives the worker', () => {
  it('temporal workflow start --type chargerEtl --input {} then temporal workflow result', async () => {
    const temporal = inject('serviceBinaries').temporalCli;
    expect(temporal, 'globalSetup found or built the temporal CLI').toBeDefined();
    const { address, namespace } = sharedTemporal();
    const workflowId = `cli-${Date.now()}`;
    const common = ['--address', address, '--namespace', namespace, '--workflow-id', workflowId];
    await execFileAsync(temporal!, [
      'workflow',
      'start',
      '--type',
      'chargerEtl',
      '--task-queue',
      harness.taskQueue,
      '--input',
      '{}',
      ...common,
    ]);
    const { stdout } = await execFileAsync(temporal!, ['workflow', 'result', ...common, '--output', 'json'], {
      timeout: 120_000,
    });
    const result = JSON.parse(stdout) as { status: string; result: RunReport };
    expect(result.status).toBe('COMPLETED');
    expect(result.result).toMatchObject({ workflowId, destination: `s3://${bucket}/defaults/`, published: true });
    expect((await readBytes(await store('defaults/').get('charger_models_UK.csv'))).equals(await offlineCsv())).toBe(
      true,
    );
  });
});
