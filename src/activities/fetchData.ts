import { pipeline } from 'node:stream';
import { Context } from '@temporalio/activity';
import { DigestStream } from '../domain/digest';
import { stagingPrefix } from '../domain/manifest';
import type { ActivityDeps } from './deps';
import { classifyFailures } from './failures';
import { currentRun } from './runContext';
import { ProgressReporter } from './progressReporter';

export interface FetchDataInput {
  sourceUrl?: string;
  destination: string;
}

export interface FetchDataResult {
  /** Staging key of the decoded payload (claim check: the payload itself never enters Temporal). */
  rawKey: string;
  bytes: number;
  sha256: string;
  fetchedAt: string;
  etag?: string;
  lastModified?: string;
  durationMs: number;
}

/**
 * Streams the registry's body (gunzipped) into staging storage, hashing and
 * counting it on the way. The staging key depends only on the run, and writes
 * are atomic, so a retry or a new worker after a crash simply writes it again.
 */
export function createFetchData(deps: ActivityDeps) {
  return async function fetchData(input: FetchDataInput): Promise<FetchDataResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const context = Context.current();
      const { workflowId, runId } = currentRun();
      const store = deps.openStore(input.destination);
      const rawKey = `${stagingPrefix(workflowId, runId)}raw.json`;
      const progress = new ProgressReporter(deps.progress, 'fetchData');
      progress.update({ bytesFetched: 0 }, true);

      const fetchedAt = (deps.now?.() ?? new Date()).toISOString();
      const response = await deps.source.open(input.sourceUrl ?? deps.config.sourceUrl, {
        signal: context.cancellationSignal,
      });
      if (response.notModified) {
        throw new Error('registry answered 304 Not Modified to an unconditional request');
      }
      const digest = new DigestStream((bytes) => progress.update({ bytesFetched: bytes }));
      // pipeline destroys both streams on any error: a broken body fails the put (which
      // then leaves no object), and a failed put closes the connection.
      pipeline(response.body, digest, () => undefined);
      await store.put(rawKey, digest, { contentType: 'application/json' });
      progress.update({ bytesFetched: digest.bytes }, true);
      await progress.flush();
      return {
        rawKey,
        bytes: digest.bytes,
        sha256: digest.sha256(),
        fetchedAt,
        etag: response.metadata.etag,
        lastModified: response.metadata.lastModified,
        durationMs: Date.now() - started,
      };
    });
  };
}
