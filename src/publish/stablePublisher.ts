import { createHash } from 'node:crypto';
import { BlobChangedError, StorageError } from '../domain/errors';
import type { DatasetDescriptor, PublishableManifest } from '../domain/datasets';
import { decidePublish, type PublishDecision } from './publishDecision';
import type { BlobStore, PutOptions } from '../storage/blobStore';
import { readPublishedManifest } from './publishedManifest';

/** Rounds of a step before giving up to the activity's retry (each extra round means another run made progress). */
const MAX_ROUNDS = 5;

export interface PublishOptions {
  force: boolean;
  maxDropFraction: number;
}

/** What publishing did to the stable key. */
export type PublishOutcome =
  /** The stable key holds this run's CSV, written now or by an earlier attempt of the run. */
  | { action: 'published'; reason: string }
  /** The stable key already held identical bytes and was not rewritten. */
  | { action: 'unchanged'; reason: string }
  /** A run that started later has published (or claimed) the stable key: this one stays in history. */
  | { action: 'superseded'; reason: string }
  /** The publish guard objects; nothing was written. */
  | { action: 'refused'; reason: string };

/**
 * Publishes this run's CSV at the stable key if the publish guard and the order of
 * runs allow it, such that however runs overlap, once they have all finished the
 * stable CSV is the one the stable manifest describes, and that manifest is the
 * newest run's to claim it. Two steps:
 *
 * 1. Claim: replace the stable manifest with ours, conditional on the version the
 *    decision was made on. Losing means another run published meanwhile: read, decide again.
 * 2. Settle: until the stable CSV is seen to hold the bytes the stable manifest
 *    describes, copy the CSV that manifest names (ours, or a newer claimant's) over
 *    it, conditional on the version read before the manifest, and look again.
 *
 * A write conditional on the CSV's version cannot tell a newer run's identical bytes
 * from the ones it read (versions such as S3 ETags derive from the content), so an
 * older run's write can still land after a newer run has settled: the older run's own
 * look after its write finds the newer claim and puts the newer CSV back. Every write
 * is followed by such a look by its writer (if the attempt dies first, by its retry,
 * which settles whatever it decides but a refusal), so the last look sees the final state.
 *
 * The stable manifest runs ahead of the stable CSV for the moment between the two
 * steps. Each step is idempotent: an attempt that crashed in between is retried, finds
 * its own claim and places the CSV. The history copy `ours.csv.key` must already exist.
 */
export async function publishStable<M extends PublishableManifest>(
  store: BlobStore,
  dataset: DatasetDescriptor<M>,
  ours: M,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const decision = await claim(store, dataset, ours, options);
  if (decision.action === 'refused') return decision;

  // Superseded runs settle too: an earlier attempt of this run may have written the CSV and died before its look.
  const settled = await settleCsv(store, dataset);
  if (decision.action === 'superseded') return decision;
  if (settled.describedBy.csv.sha256 !== ours.csv.sha256) {
    const newer = settled.describedBy;
    return {
      action: 'superseded',
      reason: `run ${newer.runId} (started ${newer.runStartedAt}) claimed the stable key during this publish`,
    };
  }
  if (decision.action === 'unchanged') {
    return settled.wrote
      ? {
          action: 'published',
          reason: 'the stable key did not hold the published CSV (an interrupted publish): restored it',
        }
      : decision;
  }
  return { action: 'published', reason: decision.reason };
}

/** Step 1: decides against the published manifest and, to publish, replaces it with ours. */
async function claim<M extends PublishableManifest>(
  store: BlobStore,
  dataset: DatasetDescriptor<M>,
  ours: M,
  options: PublishOptions,
): Promise<PublishDecision> {
  for (let round = 1; ; round += 1) {
    const published = await readPublishedManifest(store, dataset);
    if (published.manifest?.runId === ours.runId) {
      return { action: 'publish', reason: 'claimed by an earlier attempt of this run' };
    }
    const decision = decidePublish(
      dataset,
      published.manifest,
      { csvSha256: ours.csv.sha256, kept: dataset.keptCount(ours), runStartedAt: ours.runStartedAt },
      options,
    );
    if (decision.action !== 'publish') return decision;
    try {
      await store.put(dataset.stableManifestKey, manifestJson(ours), {
        contentType: 'application/json',
        ...unlessChanged(published.etag),
      });
      return decision;
    } catch (error) {
      if (!(error instanceof BlobChangedError) || round === MAX_ROUNDS) throw error;
    }
  }
}

/**
 * Step 2: makes the stable CSV hold the bytes the stable manifest describes, copying
 * them from the history CSV the manifest names, and returns that manifest as last seen.
 */
async function settleCsv<M extends PublishableManifest>(
  store: BlobStore,
  dataset: DatasetDescriptor<M>,
): Promise<{ describedBy: M; wrote: boolean }> {
  let wrote = false;
  for (let round = 1; ; round += 1) {
    // Order matters: the CSV's version first, then the manifest, so a write conditional on
    // that version fails if a newer claimant's different CSV has landed since.
    const current = await store.head(dataset.stableCsvKey);
    const { manifest } = await readPublishedManifest(store, dataset);
    if (manifest === undefined) {
      const uri = store.uriFor(dataset.stableManifestKey);
      throw new StorageError(`${uri} disappeared while placing the stable CSV`, true, { uri, operation: 'publish' });
    }
    if (current?.size === manifest.csv.bytes && (await sha256Of(store, dataset.stableCsvKey)) === manifest.csv.sha256) {
      return { describedBy: manifest, wrote };
    }
    if (round === MAX_ROUNDS) throw new BlobChangedError(store.uriFor(dataset.stableCsvKey), 'put');
    try {
      await store.put(dataset.stableCsvKey, await store.get(manifest.csv.key), {
        contentType: 'text/csv; charset=utf-8',
        ...unlessChanged(current?.etag),
      });
      wrote = true;
    } catch (error) {
      if (!(error instanceof BlobChangedError)) throw error;
    }
  }
}

/** The condition that a key is still the version read: that etag, or still absent. */
function unlessChanged(etag: string | undefined): Pick<PutOptions, 'ifMatch' | 'ifNoneMatch'> {
  return etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag };
}

export function manifestJson(manifest: PublishableManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function sha256Of(store: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await store.get(key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
