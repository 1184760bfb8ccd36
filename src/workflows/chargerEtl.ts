import { ActivityFailure, ApplicationFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ERROR_CODES } from '../domain/errors';
import {
  inputCredentialsProblem,
  type ChargerEtlInput,
  type Progress,
  type RunReport,
  type Stage,
} from '../domain/runReport';
import { progressQuery } from './definitions';
import { announceRun, recordOutcome } from '../visibility/recordRun';

const { checkStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // The registry may be down for a while; keep probing for up to an hour.
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

// Activities that run long heartbeat every few seconds while their worker lives (see
// activities/heartbeat.ts), so a killed worker's activity is retried elsewhere within 30 s.
const { fetchData } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
  },
});

const { transform } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    // Re-reading a truncated staged payload cannot help: the workflow re-fetches instead.
    nonRetryableErrorTypes: [ERROR_CODES.truncatedPayload],
  },
});

const { upload } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  // Storage blips are waited out; bad credentials or a missing bucket fail at once.
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A payload that turns out truncated is fetched again, this many times in all. */
const MAX_FETCH_ROUNDS = 3;

/**
 * Fetches the registry, transforms it and publishes charger_models_UK.csv.
 * Only references, sizes, checksums and counters pass through here; the data
 * stays in the destination's staging area.
 */
export async function chargerEtl(input: ChargerEtlInput = {}): Promise<RunReport> {
  const info = workflowInfo();
  // The running activity's counters are its heartbeat details, read from the run's description.
  const progress: Progress = { stage: 'starting', fetchRounds: 0 };
  setHandler(progressQuery, () => progress);
  const enter = (stage: Stage): void => {
    progress.stage = stage;
  };

  try {
    // Before anything uses the input: it must not even reach a local activity's marker.
    const credentialsProblem = inputCredentialsProblem(input);
    if (credentialsProblem) throw ApplicationFailure.nonRetryable(credentialsProblem, ERROR_CODES.invalidInput);
    const visibility = await announceRun(input);
    enter('checkStatus');
    const status = await checkStatus({ sourceUrl: input.sourceUrl, destination: input.destination });
    const destination = status.destination;

    let fetched;
    let transformed;
    let fetchMs = 0;
    for (;;) {
      enter('fetchData');
      progress.fetchRounds += 1;
      fetched = await fetchData({ sourceUrl: input.sourceUrl, destination, force: input.force });
      fetchMs += fetched.durationMs;
      if (fetched.notModified) {
        // The registry says the published run's data is current: nothing to transform or publish.
        const { published } = fetched;
        enter('done');
        const report: RunReport = {
          workflowId: info.workflowId,
          runId: info.runId,
          sourceUrl: status.source.url,
          destination,
          rawBytes: published.rawBytes,
          rawSha256: published.rawSha256,
          stats: published.stats,
          csv: published.csv,
          manifestUri: published.manifestUri,
          stableUri: published.stableUri,
          published: false,
          unchanged: true,
          publishReason: `the registry answered 304 Not Modified: run ${published.runId} has already published its current data`,
          durationsMs: { checkStatusMs: status.durationMs, fetchDataMs: fetchMs, transformMs: 0, uploadMs: 0 },
        };
        recordOutcome(visibility, report);
        return report;
      }
      enter('transform');
      try {
        transformed = await transform({
          destination,
          rawKey: fetched.rawKey,
          sourceUrl: status.source.url,
          contentType: fetched.contentType,
        });
        break;
      } catch (error) {
        if (!isTruncatedPayload(error) || progress.fetchRounds >= MAX_FETCH_ROUNDS) throw error;
        progress.lastFailure = `payload truncated, fetching again: ${failureMessage(error)}`;
      }
    }
    enter('upload');
    const uploaded = await upload({
      destination,
      csvKey: transformed.csvKey,
      csvSha256: transformed.sha256,
      csvBytes: transformed.bytes,
      stats: transformed.stats,
      sourceUrl: status.source.url,
      raw: {
        bytes: fetched.bytes,
        sha256: fetched.sha256,
        fetchedAt: fetched.fetchedAt,
        etag: fetched.etag,
        lastModified: fetched.lastModified,
      },
      // The server's start time, which orders runs as they were started (runStartTime is when a
      // worker first picked the run up, which can come in any order).
      runStartedAt: info.startTime.toISOString(),
      force: input.force ?? false,
    });
    enter('done');

    const report: RunReport = {
      workflowId: info.workflowId,
      runId: info.runId,
      sourceUrl: status.source.url,
      destination,
      rawBytes: fetched.bytes,
      rawSha256: fetched.sha256,
      stats: transformed.stats,
      csv: { uri: uploaded.historyCsvUri, sha256: transformed.sha256, bytes: transformed.bytes },
      manifestUri: uploaded.manifestUri,
      stableUri: uploaded.stableUri,
      published: uploaded.published,
      unchanged: uploaded.unchanged,
      publishReason: uploaded.reason,
      durationsMs: {
        checkStatusMs: status.durationMs,
        fetchDataMs: fetchMs,
        transformMs: transformed.durationMs,
        uploadMs: uploaded.durationMs,
      },
    };
    recordOutcome(visibility, report);
    return report;
  } catch (error) {
    progress.failedStage = progress.stage;
    progress.stage = 'failed';
    progress.lastFailure = failureMessage(error);
    throw error;
  }
}

function isTruncatedPayload(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === ERROR_CODES.truncatedPayload
  );
}

function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
