import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionActivityDeps } from '../../src/activities/productionDeps';
import type { RunStatus } from '../../src/cli/runFacts';
import type { BlobStore } from '../../src/storage/blobStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { runCli, runCliJson } from '../support/cliProcess';
import { startEtlHarness, type EtlHarness } from '../support/etlHarness';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { scaledPayload } from '../support/registryPayload';
import { eventually, historyEventTexts } from '../support/runInspection';
import { createBucket } from '../support/services';

/**
 * Progress travels one way: activities heartbeat their counters, and `status`
 * reads them from the run's description. The staged payload is read back
 * slowly here, so the run is caught in the middle of its transform.
 */
const DEVICES = 4_000;
const READ_SECONDS = 20;

/** A store whose reads trickle, so a transform takes about READ_SECONDS. */
function slowReads(store: BlobStore, bytesPerSecond: number): BlobStore {
  return Object.assign(Object.create(store) as BlobStore, {
    async get(key: string) {
      const body = await store.get(key);
      return Readable.from(
        (async function* () {
          for await (const chunk of body as AsyncIterable<Buffer>) {
            for (let offset = 0; offset < chunk.length; offset += 16 * 1024) {
              const piece = chunk.subarray(offset, offset + 16 * 1024);
              await sleep((piece.length / bytesPerSecond) * 1000);
              yield piece;
            }
          }
        })(),
      );
    },
  });
}

let registry: FaultyRegistry;
let harness: EtlHarness;
let bucket: string;
const payload = scaledPayload(DEVICES);

beforeAll(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: payload });
  bucket = await createBucket('progress');
  const bytesPerSecond = Math.round(payload.length / READ_SECONDS);
  harness = await startEtlHarness(
    {},
    {
      activityDeps: (config) => ({
        ...productionActivityDeps(config),
        openStore: (destination) => slowReads(openBlobStore(destination), bytesPerSecond),
      }),
    },
  );
});

afterAll(async () => {
  await harness?.stop();
  await registry?.close();
});

describe('progress through heartbeat details', () => {
  it('status of a run in its transform stage shows live counters, and its history holds no signal', async () => {
    const env = { TEMPORAL_TASK_QUEUE: harness.taskQueue };
    const handle = await harness.start({ sourceUrl: registry.url('/ncr.json'), destination: `s3://${bucket}/` });

    const status = await eventually(
      async () => {
        const current = await runCliJson<RunStatus>(['status', handle.workflowId, '--json'], env);
        const devices = current.pendingActivities[0]?.progress?.devicesProcessed ?? 0;
        return current.pendingActivities[0]?.activity === 'transform' && devices > 0 && current;
      },
      'status shows devices processed during the transform',
      90_000,
    );
    expect(status.progress).toMatchObject({ stage: 'transform', fetchRounds: 1 });
    expect(status.pendingActivities[0]).toMatchObject({ state: 'STARTED', attempt: 1 });
    expect(status.pendingActivities[0].progress!.devicesProcessed).toBeLessThan(DEVICES);

    const text = (await runCli(['status', handle.workflowId], env)).stdout;
    expect(text).toMatch(/\n {2}stage {8}transform\n/);
    expect(text).toMatch(/\n {2}activity {5}transform started, attempt 1 of 5, devices \d+/);

    const report = await handle.result();
    expect(report.stats.devicesSeen).toBe(DEVICES);
    const types = (await historyEventTexts(harness.client, handle.workflowId)).map((event) => event.type);
    expect(types.filter((type) => /signal/i.test(type))).toEqual([]);
  });
});
