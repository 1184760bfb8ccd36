import { Random } from '../generator/random';

/** Where a page's Location array sits: the body itself, an OCPI envelope's `data`, or `locations`. */
export type BodyShape = 'body' | 'data' | 'locations';

/**
 * How the simulated feed pages, as its server answers:
 * - `link`: `Link: <…?page=N>; rel="next"` with X-Total-Count and X-Limit (OCPI's own paging);
 * - `offset`: X-Total-Count and X-Limit only, the next page asked for with `offset=` and `limit=`;
 * - `single`: one response holding everything (X-Limit: 0).
 */
export type PagingStyle = 'link' | 'offset' | 'single';

/** One simulated operator's feed, before its Locations are generated. */
export interface SimulatedFeed {
  id: string;
  name: string;
  /** OCPI party id of its Locations. */
  partyId: string;
  /** EVSE objects its bodies hold, duplicates and REMOVED ones included. */
  evses: number;
  shape: BodyShape;
  paging: PagingStyle;
  /** Location array elements per page; none for `single`, which sends them all at once. */
  pageSize?: number;
  /** The catalogue's `paging:` for it: `auto` mostly, the explicit mode for some. */
  cataloguePaging: 'auto' | 'link' | 'offset' | 'none';
  /** Path of its URL. */
  path: string;
}

export const FEED_COUNT = 60;
/** Share of the EVSEs by size rank: rank r (from 1) weighs 1/r, so a few big operators and many small ones. */
const ZIPF_EXPONENT = 1;
/** The biggest operators page their feeds; a single response is for the smaller ones. */
const ALWAYS_PAGED_RANKS = 8;
const PAGE_SIZES = [100, 200, 500, 1000];
const PATHS = [
  '/ocpi/2.2.1/locations',
  '/open-ocpi/locations',
  '/locations',
  '/public_feed/locations',
  '/opendata/location',
  '/wp-json/ozev/v1/data',
  '/api/pcpr/locations',
];
const WORDS = [
  'Volt',
  'Charge',
  'Spark',
  'Kerb',
  'Pulse',
  'Grid',
  'Amp',
  'Watt',
  'Current',
  'Flux',
  'Plug',
  'Ion',
  'Dyna',
  'Green',
  'Moor',
  'Dale',
  'Coast',
  'Highland',
  'Cymru',
  'Thames',
];
const SUFFIXES = ['', ' EV', ' Charging', ' Networks', ' Energy', ' UK', ' Ltd', ' & Co'];

/**
 * The 60 feeds of a simulated UK, deterministic for `seed`: names, uneven sizes
 * summing to exactly `evses` (in proportion to 1/rank, largest remainder, in a
 * shuffled catalogue order), body shapes and paging styles. The same seed gives
 * the same feeds at every size, only scaled.
 */
export function simulatedFeeds(evses: number, seed: number): SimulatedFeed[] {
  const random = new Random(seed ^ 0x0cf1_da7a);
  const weights = Array.from({ length: FEED_COUNT }, (_, rank) => 1 / (rank + 1) ** ZIPF_EXPONENT);
  const sizes = apportion(evses, weights);
  const names = new Set<string>();
  const feeds = sizes.map((size, rank): SimulatedFeed => {
    let name: string;
    do {
      const first = random.pick(WORDS);
      const second = random.pick(WORDS.filter((word) => word !== first));
      name = `${first}${second.toLowerCase()}${random.pick(SUFFIXES)}`;
    } while (names.has(name));
    names.add(name);
    const paging: PagingStyle =
      rank < ALWAYS_PAGED_RANKS
        ? random.pick(['link', 'offset'] as const)
        : (['link', 'offset', 'single'] as const)[random.weighted([4, 3, 3])];
    const shape: BodyShape = (['body', 'data', 'locations'] as const)[random.weighted([4, 5, 2])];
    const explicit = random.chance(0.3);
    return {
      id: `sim_${String(rank + 1).padStart(2, '0')}`,
      name,
      partyId: partyIdOf(rank),
      evses: size,
      shape,
      paging,
      ...(paging === 'single' ? {} : { pageSize: random.pick(PAGE_SIZES) }),
      cataloguePaging: !explicit ? 'auto' : paging === 'single' ? 'none' : paging,
      path: random.pick(PATHS),
    };
  });
  // Catalogue order is not size order: real catalogues are alphabetical, or grew as operators were added.
  for (let k = feeds.length - 1; k > 0; k--) {
    const j = random.int(k + 1);
    [feeds[k], feeds[j]] = [feeds[j], feeds[k]];
  }
  return feeds;
}

/** Whole numbers in proportion to `weights` summing to exactly `total` (largest remainder). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const whole = exact.map(Math.floor);
  let left = total - whole.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, k) => ({ k, remainder: value - whole[k] }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (const { k } of byRemainder) {
    if (left === 0) break;
    whole[k] += 1;
    left -= 1;
  }
  return whole;
}

/** A distinct three-letter OCPI party id per rank. */
function partyIdOf(rank: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return `${letters[Math.floor(rank / 26) % 26]}${letters[rank % 26]}${letters[(rank * 7 + 3) % 26]}`;
}
