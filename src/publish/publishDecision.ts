import type { DatasetDescriptor, PublishableManifest } from '../domain/datasets';

export type PublishDecision =
  | { action: 'publish'; reason: string }
  /** Same CSV bytes as the published one: leave the stable key alone. */
  | { action: 'unchanged'; reason: string }
  /** A run that started later has already published: never go back in time. */
  | { action: 'superseded'; reason: string }
  /** The new dataset looks broken next to the published one: refuse unless forced. */
  | { action: 'refused'; reason: string };

export interface PublishCandidate {
  csvSha256: string;
  /** The counter the dataset's publish guard compares (see DatasetDescriptor.keptLabel). */
  kept: number;
  runStartedAt: string;
}

/**
 * Decides whether a new CSV of a dataset may replace the published one, comparing
 * the dataset's kept counter. Pure: publishStable reads the published manifest and
 * acts on the answer.
 */
export function decidePublish<M extends PublishableManifest>(
  dataset: DatasetDescriptor<M>,
  published: M | undefined,
  candidate: PublishCandidate,
  options: { force: boolean; maxDropFraction: number },
): PublishDecision {
  // The first publish has nothing to compare with, so no guard.
  if (published === undefined) return { action: 'publish', reason: 'first publish' };
  if (published.runStartedAt > candidate.runStartedAt) {
    return {
      action: 'superseded',
      reason: `run ${published.runId} started later (${published.runStartedAt}) and has already published`,
    };
  }
  if (published.csv.sha256 === candidate.csvSha256) {
    return { action: 'unchanged', reason: 'the CSV is identical to the published one' };
  }
  if (options.force) return { action: 'publish', reason: 'forced' };
  const before = dataset.keptCount(published);
  const after = candidate.kept;
  if (after === 0) {
    return { action: 'refused', reason: `${dataset.keptLabel} fell from ${before} to 0` };
  }
  if (before > 0 && (before - after) / before > options.maxDropFraction) {
    const percent = (((before - after) / before) * 100).toFixed(1);
    return {
      action: 'refused',
      reason: `${dataset.keptLabel} fell from ${before} to ${after} (-${percent}%, limit ${(options.maxDropFraction * 100).toFixed(0)}%)`,
    };
  }
  return { action: 'publish', reason: 'passes the publish guard' };
}
