import { addChargePointStats, emptyChargePointStats, type ChargePointStats } from '../../domain/chargePointStats';
import { countPostcode, monthUpdated, normalizePostcode, type NormalizedPostcode, type PostcodeCounts } from '../rules';
import { ChargePointRows, rowKey, type ChargePointRow } from './chargePointRows';
import type { LocationSink } from './locationScanner';
import {
  connectorObjects,
  connectorTypes,
  idText,
  isJsonObject,
  isOutsideUk,
  isRemoved,
  operatorName,
  ownField,
  parkingType,
  speedCategory,
} from './rules';

const POSTCODE_COUNTERS = ['postcodeMissing', 'postcodeInvalid', 'postcodeNormalized'] as const;

/** The counters that count kept EVSEs, besides evsesKept, in the order a group lists them. */
export const KEPT_EVSE_COUNTERS = [...POSTCODE_COUNTERS, 'speedUnknown', 'monthMissing'] as const;
export type KeptEvseCounter = (typeof KEPT_EVSE_COUNTERS)[number];

/**
 * A kind of kept EVSE: its row, and the counters each such EVSE adds one to. The
 * postcode counters depend on the raw postcode, not only on the row's PostCode, so
 * a group carries them rather than leaving them to be worked out from the row.
 */
export interface EvseGroup {
  /** Tells groups apart: the counters, then "|", then the row key (counter names hold no "|"). */
  readonly key: string;
  /** The six fields as a row key (see rowKey). */
  readonly row: string;
  /** A subsequence of KEPT_EVSE_COUNTERS. */
  readonly counters: readonly KeptEvseCounter[];
}

export function evseGroup(row: string, counters: readonly KeptEvseCounter[]): EvseGroup {
  return { key: `${counters.join(',')}|${row}`, row, counters };
}

/** Counts `evses` kept EVSEs of `group` into `stats` (not their row). */
export function countKeptEvses(stats: ChargePointStats, group: EvseGroup, evses: number): void {
  stats.evsesKept += evses;
  for (const counter of group.counters) stats[counter] += evses;
}

/**
 * The dedupe key of an EVSE: the JSON text of the four parts, which keeps them
 * apart whatever they contain (and which normalisedFeed.ts writes as it is).
 */
export function dedupeKey(
  countryCode: string | undefined,
  partyId: string | undefined,
  locationId: string,
  uid: string,
): string {
  return JSON.stringify([countryCode ?? '', partyId ?? '', locationId, uid]);
}

function postcodeCounters(raw: unknown, postcode: NormalizedPostcode): KeptEvseCounter[] {
  const counts: PostcodeCounts = { postcodeMissing: 0, postcodeInvalid: 0, postcodeNormalized: 0 };
  countPostcode(counts, raw, postcode);
  return POSTCODE_COUNTERS.filter((counter) => counts[counter] > 0);
}

/**
 * What one Location array adds to the output: counts, kept EVSEs and dedupe keys
 * of its own, apart from those counted so far until the page is known to be valid
 * and this array to be its Location array (a body may hold several candidates, see
 * locationScanner.ts). Duplicates are judged against the keys counted so far and
 * this batch's, so committing batches in page order dedupes exactly as one pass.
 */
export class LocationBatch implements LocationSink {
  readonly stats: ChargePointStats = emptyChargePointStats();
  /** Kept EVSEs without a dedupe key, per group. */
  readonly keyless = new Map<EvseGroup, number>();
  /** Dedupe keys first counted in this batch, in order met, each with its kept EVSE's group. */
  readonly keys = new Map<string, EvseGroup>();
  /** The batch's groups by key, so that equal groups are one object. */
  private readonly groups = new Map<string, EvseGroup>();

  constructor(
    private readonly feedName: string,
    private readonly countedKeys: ReadonlySet<string>,
  ) {}

  /** One element of the Location array, as JSON.parse gives it. */
  addLocation(location: unknown): void {
    const stats = this.stats;
    if (!isJsonObject(location)) {
      stats.malformedRecords++;
      return;
    }
    stats.locationsSeen++;
    if (ownField(location, 'publish') === false) {
      stats.locationsUnpublished++;
      return;
    }
    if (isOutsideUk(ownField(location, 'country'))) {
      stats.locationsOutsideUk++;
      return;
    }
    const evses = ownField(location, 'evses');
    if (!Array.isArray(evses)) return;

    const operator = operatorName(ownField(location, 'operator'), this.feedName);
    const parking = parkingType(ownField(location, 'parking_type'));
    const rawPostcode = ownField(location, 'postal_code');
    const postcode = normalizePostcode(rawPostcode);
    const postcodeCounts = postcodeCounters(rawPostcode, postcode);
    const locationMonth = monthUpdated(ownField(location, 'last_updated'));
    const locationId = idText(ownField(location, 'id'));
    const countryCode = idText(ownField(location, 'country_code'));
    const partyId = idText(ownField(location, 'party_id'));

    for (const evse of evses) {
      if (!isJsonObject(evse)) {
        stats.malformedRecords++;
        continue;
      }
      stats.evsesSeen++;
      if (isRemoved(ownField(evse, 'status'))) {
        stats.evsesRemoved++;
        continue;
      }
      const uid = idText(ownField(evse, 'uid'));
      const key =
        locationId !== undefined && uid !== undefined ? dedupeKey(countryCode, partyId, locationId, uid) : undefined;
      if (key !== undefined && (this.countedKeys.has(key) || this.keys.has(key))) {
        stats.duplicatesDropped++;
        continue;
      }
      const connectors = connectorObjects(evse);
      const speed = speedCategory(connectors);
      const month = monthUpdated(ownField(evse, 'last_updated')) || locationMonth;
      const counters = [...postcodeCounts];
      if (speed === 'unknown') counters.push('speedUnknown');
      if (month === '') counters.push('monthMissing');
      const group = this.group(
        rowKey([operator, parking, connectorTypes(connectors), speed, postcode.text, month]),
        counters,
      );
      countKeptEvses(stats, group, 1);
      if (key === undefined) this.keyless.set(group, (this.keyless.get(group) ?? 0) + 1);
      else this.keys.set(key, group);
    }
  }

  private group(row: string, counters: readonly KeptEvseCounter[]): EvseGroup {
    const group = evseGroup(row, counters);
    const known = this.groups.get(group.key);
    if (known !== undefined) return known;
    this.groups.set(group.key, group);
    return group;
  }
}

/** What takes the Location arrays of valid pages: the one-pass aggregator, or one feed's normaliser. */
export interface LocationBatchTarget {
  /** A batch for one Location array of a page of the feed whose Operator fallback name is `feedName`. */
  startBatch(feedName: string): LocationBatch;
  /** Adds a batch started since the last commit; batches are committed in page order. */
  commit(batch: LocationBatch): void;
}

/**
 * Aggregates the Location arrays of all pages of all feeds, in order, into the rows
 * and stats of charge_points_UK.csv. Memory is one entry per distinct row and per
 * dedupe key, whatever the size of the bodies.
 */
export class ChargePointAggregator implements LocationBatchTarget {
  private stats = emptyChargePointStats();
  private rows = new ChargePointRows();
  private keys = new Set<string>();

  startBatch(feedName: string): LocationBatch {
    return new LocationBatch(feedName, this.keys);
  }

  commit(batch: LocationBatch): void {
    addChargePointStats(this.stats, batch.stats);
    for (const [group, evses] of batch.keyless) this.rows.add(group.row, evses);
    for (const [key, group] of batch.keys) {
      this.rows.add(group.row, 1);
      this.keys.add(key);
    }
  }

  /** The stats, and the rows in contract order (ascending by the six fields). The aggregator is empty afterwards. */
  finish(): { stats: ChargePointStats; rows: Iterable<ChargePointRow> } {
    const stats = { ...this.stats, rows: this.rows.size };
    const rows = this.rows;
    this.stats = emptyChargePointStats();
    this.rows = new ChargePointRows();
    this.keys = new Set();
    return { stats, rows: rows.sorted() };
  }
}
