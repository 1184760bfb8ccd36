import { createHash } from 'node:crypto';
import { BlobChangedError } from '../domain/errors';
import { STABLE_CSV_KEY, STABLE_MANIFEST_KEY, type Manifest } from '../domain/manifest';
import { decidePublish, type PublishDecision } from '../domain/publishDecision';
import type { BlobStore, PutOptions } from '../storage/blobStore';
import { readPublishedManifest } from './publishedManifest';

/** Lost races in a row before giving up to the activity's retry (each loss means another run made progress). */
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
 * runs allow it, such that an older run's CSV can never replace a newer one's, however
 * runs overlap. Two compare-and-swap steps:
 *
 * 1. Claim: replace the stable manifest with ours, conditional on the version the
 *    decision was made on. Losing means another run published meanwhile: read, decide again.
 * 2. Place the CSV: replace the stable CSV conditional on the version read *before*
 *    checking that the stable manifest still describes our bytes. A newer run claims the
 *    manifest before it writes its CSV, so after its claim our write either sees the
 *    claim and stops, or fails its condition because the newer CSV changed the key.
 *
 * So the stable manifest runs ahead of the stable CSV for the moment between the two
 * steps. Each step is idempotent: an attempt that crashed in between is retried, finds
 * its own claim and places the CSV. The history copy `historyCsvKey` must already exist.
 */
export async function publishStable(
  store: BlobStore,
  ours: Manifest,
  historyCsvKey: string,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const decision = await claim(store, ours, options);
  if (decision.action === 'refused' || decision.action === 'superseded') return decision;

  const placed = await placeCsv(store, ours, historyCsvKey);
  if (placed.outcome === 'superseded') {
    const newer = placed.publishedBy;
    return {
      action: 'superseded',
      reason: `run ${newer?.runId ?? '(unknown)'} (started ${newer?.runStartedAt ?? '?'}) claimed the stable key during this publish`,
    };
  }
  if (decision.action === 'unchanged') {
    return placed.outcome === 'present'
      ? decision
      : { action: 'published', reason: 'the stable key did not hold the published CSV (an interrupted publish): restored it' };
  }
  return { action: 'published', reason: decision.reason };
}

/** Step 1: decides against the published manifest and, to publish, replaces it with ours. */
async function claim(store: BlobStore, ours: Manifest, options: PublishOptions): Promise<PublishDecision> {
  for (let round = 1; ; round += 1) {
    const published = await readPublishedManifest(store);
    if (published.manifest?.runId === ours.runId) {
      return { action: 'publish', reason: 'claimed by an earlier attempt of this run' };
    }
    const decision = decidePublish(
      published.manifest,
      { csvSha256: ours.csv.sha256, devicesKept: ours.stats.devicesKept, runStartedAt: ours.runStartedAt },
      options,
    );
    if (decision.action !== 'publish') return decision;
    try {
      await store.put(STABLE_MANIFEST_KEY, manifestJson(ours), {
        contentType: 'application/json',
        ...unlessChanged(published.etag),
      });
      return decision;
    } catch (error) {
      if (!(error instanceof BlobChangedError) || round === MAX_ROUNDS) throw error;
    }
  }
}

type Placement = { outcome: 'written' | 'present' } | { outcome: 'superseded'; publishedBy?: Manifest };

/** Step 2: makes the stable CSV hold our bytes while the stable manifest describes them. */
async function placeCsv(store: BlobStore, ours: Manifest, historyCsvKey: string): Promise<Placement> {
  for (let round = 1; ; round += 1) {
    // Order matters: the CSV's version first, then the manifest (see publishStable).
    const current = await store.head(STABLE_CSV_KEY);
    const { manifest } = await readPublishedManifest(store);
    if (manifest?.csv.sha256 !== ours.csv.sha256) return { outcome: 'superseded', publishedBy: manifest };
    if (current?.size === ours.csv.bytes && (await sha256Of(store, STABLE_CSV_KEY)) === ours.csv.sha256) {
      return { outcome: 'present' };
    }
    try {
      await store.put(STABLE_CSV_KEY, await store.get(historyCsvKey), {
        contentType: 'text/csv; charset=utf-8',
        ...unlessChanged(current?.etag),
      });
      return { outcome: 'written' };
    } catch (error) {
      if (!(error instanceof BlobChangedError) || round === MAX_ROUNDS) throw error;
    }
  }
}

/** The condition that a key is still the version read: that etag, or still absent. */
function unlessChanged(etag: string | undefined): Pick<PutOptions, 'ifMatch' | 'ifNoneMatch'> {
  return etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag };
}

export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function sha256Of(store: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await store.get(key)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
