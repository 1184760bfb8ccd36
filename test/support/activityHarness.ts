import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { expect, onTestFinished } from 'vitest';
import { createActivities, type Activities } from '../../src/activities';
import type { FetchedPayload } from '../../src/activities/fetchData';
import type { TransformResult } from '../../src/activities/transform';
import type { UploadInput, UploadResult } from '../../src/activities/upload';
import type { ActivityProgress } from '../../src/domain/runReport';
import { jsonLogger } from '../../src/logging';
import { FileStore } from '../../src/storage/fileStore';
import { openBlobStore } from '../../src/storage/openBlobStore';
import { captureLine } from './capturedLogs';
import { FakeRegistrySource, type ServedPayload } from './fakeRegistrySource';

/** The worker's SOURCE_URL in activity tests. */
export const SOURCE_URL = 'https://registry.test/ncr/charge-devices.json';
/** What the activities' clock says: the fetchedAt of every payload fetched in these tests. */
export const NOW = new Date('2026-12-01T06:00:05.000Z');

export interface RunIdentity {
  workflowId?: string;
  runId?: string;
  attempt?: number;
}

/** One activity attempt of a run, and the heartbeat details it has sent so far. */
export interface ActivityAttempt {
  /** Runs an activity function in this attempt's mock context. */
  run: <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A) => Promise<R>;
  heartbeats: ActivityProgress[];
}

export interface ActivityHarness {
  source: FakeRegistrySource;
  /** The temporary directory the activities write to, read directly. */
  store: FileStore;
  /** That directory as the destination URI the workflow passes to the activities. */
  destination: string;
  activities: Activities;
  /** A mock activity context for an attempt of a chargerEtl run, as a worker would give it. */
  attempt: (run?: RunIdentity) => ActivityAttempt;
}

/**
 * The real activities over a fake registry serving `payload` and a file store in a
 * temporary directory (removed when the test finishes): no Temporal server, no HTTP.
 */
export async function activityHarness(payload: ServedPayload): Promise<ActivityHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'uk-chargers-activities-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const store = new FileStore(dir);
  const source = new FakeRegistrySource(payload);
  const activities = createActivities({
    config: {
      sourceUrl: SOURCE_URL,
      sourceMaxBytes: 64 * 1024 * 1024,
      destination: store.rootUri,
      publishMaxDropFraction: 0.5,
    },
    source,
    openStore: (destination) => openBlobStore(destination),
    codeVersion: 'activity-tests',
    now: () => NOW,
  });
  return {
    source,
    store,
    destination: store.rootUri,
    activities,
    attempt: ({ workflowId = 'charger-etl-test', runId = 'run-1', attempt = 1 } = {}) => {
      const env = new MockActivityEnvironment(
        { workflowExecution: { workflowId, runId }, attempt, heartbeatTimeoutMs: 30_000 },
        // The SDK logs each failed activity as a warning: kept for a failing test's report.
        { logger: jsonLogger('info', (line) => captureLine('activity', line)) },
      );
      const heartbeats: ActivityProgress[] = [];
      env.on('heartbeat', (details: ActivityProgress) => heartbeats.push(details));
      return { run: (activity, ...args) => env.run(activity, ...args), heartbeats };
    },
  };
}

/** Every file under the store's `_staging/` directory, in-flight temp files included, as paths from the store's root. */
export async function stagedFiles(harness: ActivityHarness): Promise<string[]> {
  const entries = await readdir(join(harness.store.rootDir, '_staging'), {
    recursive: true,
    withFileTypes: true,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(harness.store.rootDir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** The ApplicationFailure `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function applicationFailureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

/**
 * Runs the four activities for one run of chargerEtl, each handed what the workflow
 * hands it, and returns what each returned. Fails on a 304: callers want a publish.
 */
export async function runStages(
  harness: ActivityHarness,
  run: RunIdentity & { runStartedAt: string; force?: boolean },
): Promise<{ fetched: FetchedPayload; transformed: TransformResult; uploaded: UploadResult }> {
  const { activities } = harness;
  const attempt = harness.attempt(run);
  const status = await attempt.run(activities.checkStatus, {});
  const fetched = await attempt.run(activities.fetchData, { destination: status.destination, force: run.force });
  if (fetched.notModified) throw new Error(`run ${run.runId} was answered 304; expected a download`);
  const transformed = await attempt.run(activities.transform, {
    destination: status.destination,
    rawKey: fetched.rawKey,
    sourceUrl: status.source.url,
    contentType: fetched.contentType,
  });
  const uploaded = await attempt.run(
    activities.upload,
    uploadInput(status.destination, status.source.url, fetched, transformed, run),
  );
  return { fetched, transformed, uploaded };
}

/** The upload input chargerEtl builds from the earlier stages' results. */
export function uploadInput(
  destination: string,
  sourceUrl: string,
  fetched: FetchedPayload,
  transformed: TransformResult,
  run: { runStartedAt: string; force?: boolean },
): UploadInput {
  return {
    destination,
    csvKey: transformed.csvKey,
    csvSha256: transformed.sha256,
    csvBytes: transformed.bytes,
    stats: transformed.stats,
    sourceUrl,
    raw: {
      bytes: fetched.bytes,
      sha256: fetched.sha256,
      fetchedAt: fetched.fetchedAt,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
    },
    runStartedAt: run.runStartedAt,
    force: run.force ?? false,
  };
}
