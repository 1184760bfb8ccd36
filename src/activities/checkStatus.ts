import { Context } from '@temporalio/activity';
import type { SourceMetadata } from '../source/registrySource';
import type { ActivityDeps } from './deps';
import { classifyFailures } from './failures';

export interface CheckStatusInput {
  sourceUrl?: string;
  destination?: string;
}

export interface CheckStatusResult {
  source: SourceMetadata;
  /** The destination resolved once for the whole run, so every later activity writes to the same place. */
  destination: string;
  durationMs: number;
}

/**
 * Probes the registry without downloading it and checks the destination is
 * writable, so a run fails in seconds, not after a long download, when either is wrong.
 */
export function createCheckStatus(deps: ActivityDeps) {
  return async function checkStatus(input: CheckStatusInput): Promise<CheckStatusResult> {
    return classifyFailures(async () => {
      const started = Date.now();
      const signal = Context.current().cancellationSignal;
      const source = await deps.source.probe(input.sourceUrl ?? deps.config.sourceUrl, { signal });
      const store = deps.openStore(input.destination ?? deps.config.destination);
      await store.verifyAccess();
      return { source, destination: store.rootUri, durationMs: Date.now() - started };
    });
  };
}
