import { emptyChargePointStats, type ChargePointStats } from '../../domain/chargePointStats';
import { countPostcode, monthUpdated, normalizePostcode } from '../rules';
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

/** One row of charge_points_UK.csv: kept EVSEs counted per distinct six fields. */
export interface ChargePointRow {
  operator: string;
  parkingType: string;
  connectorTypes: string;
  speedCategory: string;
  postcode: string;
  month: string;
  evses: number;
}

/**
 * The six fields as one string whose plain comparison (`<`, UTF-16 code units)
 * orders rows exactly like comparing the fields one by one: each field has U+0000
 * written as U+0000 U+0001 and ends with U+0000 U+0000, which sorts below any
 * continuation of a field, so a field sorts before its extensions.
 */
const NUL = '\u0000';
const ESCAPED_NUL = '\u0000\u0001';
const FIELD_END = '\u0000\u0000';

function rowKey(fields: readonly string[]): string {
  return fields.map((field) => field.replaceAll(NUL, ESCAPED_NUL) + FIELD_END).join('');
}

function rowFields(key: string): string[] {
  // An escaped field never holds U+0000 U+0000, so the split finds exactly the field ends.
  return key
    .split(FIELD_END)
    .slice(0, -1)
    .map((field) => field.replaceAll(ESCAPED_NUL, NUL));
}

/** The dedupe key of an EVSE; JSON keeps the parts apart whatever they contain. */
function dedupeKey(
  countryCode: string | undefined,
  partyId: string | undefined,
  locationId: string,
  uid: string,
): string {
  return JSON.stringify([countryCode ?? '', partyId ?? '', locationId, uid]);
}

/**
 * What one Location array adds to the output: counts, rows and dedupe keys of its
 * own, apart from the aggregator's until the page is known to be valid and this
 * array to be its Location array (a body may hold several candidates, see
 * locationScanner.ts). Duplicates are judged against the aggregator's keys and
 * this batch's, so committing batches in page order dedupes exactly as one pass.
 */
export class LocationBatch {
  readonly stats: ChargePointStats = emptyChargePointStats();
  /** Row key → kept EVSEs. */
  readonly rows = new Map<string, number>();
  /** Dedupe keys first counted in this batch. */
  readonly keys = new Set<string>();

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
      if (locationId !== undefined && uid !== undefined) {
        const key = dedupeKey(countryCode, partyId, locationId, uid);
        if (this.countedKeys.has(key) || this.keys.has(key)) {
          stats.duplicatesDropped++;
          continue;
        }
        this.keys.add(key);
      }
      stats.evsesKept++;
      countPostcode(stats, rawPostcode, postcode);
      const connectors = connectorObjects(evse);
      const speed = speedCategory(connectors);
      if (speed === 'unknown') stats.speedUnknown++;
      const month = monthUpdated(ownField(evse, 'last_updated')) || locationMonth;
      if (month === '') stats.monthMissing++;
      const key = rowKey([operator, parking, connectorTypes(connectors), speed, postcode.text, month]);
      this.rows.set(key, (this.rows.get(key) ?? 0) + 1);
    }
  }
}

/**
 * Aggregates the Location arrays of all pages of all feeds, in order, into the rows
 * and stats of charge_points_UK.csv. Memory is one entry per distinct row and per
 * dedupe key, whatever the size of the bodies.
 */
export class ChargePointAggregator {
  private stats = emptyChargePointStats();
  private rows = new Map<string, number>();
  private keys = new Set<string>();

  /** A batch for one Location array of a page of the feed whose Operator fallback name is `feedName`. */
  startBatch(feedName: string): LocationBatch {
    return new LocationBatch(feedName, this.keys);
  }

  /** Adds a batch started since the last commit; batches are committed in page order. */
  commit(batch: LocationBatch): void {
    for (const name of Object.keys(batch.stats) as (keyof ChargePointStats)[]) this.stats[name] += batch.stats[name];
    for (const [key, evses] of batch.rows) this.rows.set(key, (this.rows.get(key) ?? 0) + evses);
    for (const key of batch.keys) this.keys.add(key);
  }

  /** The stats, and the rows in contract order (ascending by the six fields). The aggregator is empty afterwards. */
  finish(): { stats: ChargePointStats; rows: Iterable<ChargePointRow> } {
    const stats = { ...this.stats, rows: this.rows.size };
    const rows = this.rows;
    this.stats = emptyChargePointStats();
    this.rows = new Map();
    this.keys = new Set();
    return { stats, rows: sortedRows(rows) };
  }
}

function* sortedRows(rows: Map<string, number>): Generator<ChargePointRow> {
  for (const key of [...rows.keys()].sort()) {
    const [operator, parkingType, connectorTypes, speedCategory, postcode, month] = rowFields(key);
    yield { operator, parkingType, connectorTypes, speedCategory, postcode, month, evses: rows.get(key)! };
  }
}
