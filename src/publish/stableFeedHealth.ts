import { CHARGE_POINTS_STABLE_FEEDS_KEY, type ChargePointsManifest } from '../domain/chargePointsManifest';
import { CHARGE_POINTS_DATASET } from '../domain/datasets';
import { BlobChangedError } from '../domain/errors';
import type { BlobStore } from '../storage/blobStore';
import { readPublishedManifest } from './publishedManifest';

/** Rounds before giving up to the activity's retry (each extra round means a newer run claimed meanwhile). */
const MAX_ROUNDS = 5;

/**
 * Places a run's feed health (its history `charge_points_UK.feeds.json`) at the stable
 * key, for a run whose CSV is the stable one: published by it, or found unchanged.
 * Then looks at the stable manifest: if a run that started later has claimed it
 * meanwhile, that run's feed health belongs beside its CSV, so it copies that one
 * instead and looks again. Every write is followed by a look by its writer, so an
 * older run's late write never outlasts a newer claim. Two overlapping runs that both
 * find the CSV unchanged claim nothing, and then the last to write wins.
 */
export async function placeStableFeedHealth(store: BlobStore, ours: ChargePointsManifest): Promise<void> {
  let source = ours.feeds.feedsKey;
  for (let round = 1; ; round += 1) {
    await store.copy(source, CHARGE_POINTS_STABLE_FEEDS_KEY);
    const { manifest } = await readPublishedManifest(store, CHARGE_POINTS_DATASET);
    const owner = manifest !== undefined && manifest.runStartedAt > ours.runStartedAt ? manifest : ours;
    if (owner.feeds.feedsKey === source) return;
    if (round === MAX_ROUNDS) throw new BlobChangedError(store.uriFor(CHARGE_POINTS_STABLE_FEEDS_KEY), 'copy');
    source = owner.feeds.feedsKey;
  }
}
