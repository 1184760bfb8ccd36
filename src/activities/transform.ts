import { DigestStream } from '../streams/digestStream';
import { PayloadError } from '../domain/errors';
import { redactUrl } from '../domain/redact';
import { CSV_FILE_NAME, stagingPrefix } from '../domain/manifest';
import type { TransformStats } from '../domain/stats';
import { produceInto } from '../streams/produceInto';
import { transformPayload } from '../transform/pipeline';
import type { ActivityDeps } from './deps';
import { classifyFailures } from './failures';
import { withHeartbeat } from './heartbeat';
import { payloadSnippet } from './payloadSnippet';
import { currentRun } from './runContext';

export interface TransformInput {
  destination: string;
  rawKey: string;
  /** The registry URL the payload came from, redacted; named when the payload is not a registry payload. */
  sourceUrl?: string;
  /** Content-Type the registry declared, named when the payload turns out not to be a registry payload. */
  contentType?: string;
}

export interface TransformResult {
  csvKey: string;
  sha256: string;
  bytes: number;
  stats: TransformStats;
  durationMs: number;
}

/** Streams the staged payload through the transform rules into a staged CSV. */
export function createTransform(deps: ActivityDeps) {
  return async function transform(input: TransformInput): Promise<TransformResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const { workflowId, runId } = currentRun();
      const store = deps.openStore(input.destination);
      const csvKey = `${stagingPrefix(workflowId, runId)}${CSV_FILE_NAME}`;

      return withHeartbeat({ devicesProcessed: 0 }, async (report) => {
        const raw = await store.get(input.rawKey);
        const csv = new DigestStream();
        const written = store.put(csvKey, csv, { contentType: 'text/csv; charset=utf-8' });
        let stats: TransformStats;
        try {
          stats = await produceInto(csv, written, () =>
            transformPayload(raw, csv, {
              onProgress: ({ devicesSeen }) => report({ devicesProcessed: devicesSeen }),
              maxGunzippedBytes: deps.config.sourceMaxBytes,
            }),
          );
        } catch (error) {
          if (error instanceof PayloadError) {
            // What the registry actually sent is what an operator needs to see.
            // Input URLs never carry credentials (the workflow refuses them), so only SOURCE_URL's need scrubbing.
            const snippet = await payloadSnippet(store, input.rawKey, deps.config.sourceUrl);
            throw new PayloadError(
              `${error.message}; the registry at ${input.sourceUrl ?? redactUrl(deps.config.sourceUrl)} sent Content-Type ${input.contentType ?? '(none)'}, starting: ${snippet}`,
              error.details,
            );
          }
          throw error;
        }
        report({ devicesProcessed: stats.devicesSeen });
        return { csvKey, sha256: csv.sha256(), bytes: csv.bytes, stats, durationMs: Date.now() - started };
      });
    });
  };
}
