import { emptyStats, type TransformStats } from '../domain/stats';
import { countPostcode, deviceText, monthUpdated, normalizePostcode, OVERSIZED_VALUE } from './rules';

/** One CSV data row: kept devices counted per distinct five fields. */
export interface ChargerModelRow {
  manufacturer: string;
  locationType: string;
  model: string;
  postcode: string;
  month: string;
  count: number;
}

/**
 * Within one (manufacturer, location type, model), a row is keyed by one short
 * string, built so that plain string comparison (`<`, UTF-16 code units) orders
 * keys exactly like (postcode, month): U+0000 in the postcode is written U+0000
 * U+0001 and the postcode ends with U+0000 U+0000, which sorts below any
 * continuation. The month follows; it is "" or exactly seven characters "YYYY-MM",
 * so it can be cut off the end again.
 */
const POSTCODE_END = '\u0000\u0000';
const MONTH_LENGTH = 7;
const NUL = /\u0000/g;
const ESCAPED_NUL = /\u0000\u0001/g;

function rowKey(postcode: string, month: string): string {
  const escaped = postcode.includes('\u0000') ? postcode.replace(NUL, '\u0000\u0001') : postcode;
  // join builds one flat string; `+` would keep a cons string and its parts alive
  // as the map key, about half again the memory per row.
  return [escaped, POSTCODE_END, month].join('');
}

function postcodeOfRowKey(key: string, hasMonth: boolean): string {
  const escaped = key.slice(0, key.length - POSTCODE_END.length - (hasMonth ? MONTH_LENGTH : 0));
  return escaped.includes('\u0000') ? escaped.replace(ESCAPED_NUL, '\u0000') : escaped;
}

/** Row key → device count, for one (manufacturer, location type, model). */
type ModelRows = Map<string, number>;
/** manufacturer → location type → model → rows: the few distinct text triples are stored once. */
type RowTree = Map<string, Map<string, Map<string, ModelRows>>>;

function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let value = map.get(key);
  if (value === undefined) {
    value = new Map();
    map.set(key, value);
  }
  return value;
}

/** Map keys in default sort order (UTF-16 code units, never locale collation). */
function sortedKeys(map: Map<string, unknown>): string[] {
  return [...map.keys()].sort();
}

/**
 * Counts kept devices per (manufacturer, location type, model, postcode, month)
 * and keeps the transform statistics. Memory per distinct row is one short key
 * and one map entry.
 */
export class DeviceAggregator {
  private tree: RowTree = new Map();
  private lastModel: { manufacturer: string; locationType: string; model: string; rows: ModelRows } | undefined;
  /** The last device's row key, with what it was built from: a site's devices mostly share postcode and month. */
  private lastRow = { postcode: '', month: '', key: rowKey('', '') };
  private stats: TransformStats = emptyStats();

  /** Values as JSON.parse would give them (undefined when absent), or OVERSIZED_VALUE; see rules.ts. */
  addDevice(
    manufacturerValue: unknown,
    locationTypeValue: unknown,
    modelValue: unknown,
    postcodeValue: unknown,
    dateUpdatedValue: unknown,
  ): void {
    const stats = this.stats;
    stats.devicesSeen++;
    if (
      manufacturerValue === OVERSIZED_VALUE ||
      locationTypeValue === OVERSIZED_VALUE ||
      modelValue === OVERSIZED_VALUE ||
      postcodeValue === OVERSIZED_VALUE ||
      dateUpdatedValue === OVERSIZED_VALUE
    ) {
      stats.oversizedRecords++;
      return;
    }
    const model = deviceText(modelValue);
    if (model === '') {
      stats.droppedNoModel++;
      return;
    }
    stats.devicesKept++;
    const postcode = normalizePostcode(postcodeValue);
    countPostcode(stats, postcodeValue, postcode);
    const month = monthUpdated(dateUpdatedValue);
    if (month === '') stats.monthMissing++;

    const rows = this.modelRows(deviceText(manufacturerValue), deviceText(locationTypeValue), model);
    const last = this.lastRow;
    let key: string;
    if (last.postcode === postcode.text && last.month === month) {
      key = last.key;
    } else {
      key = rowKey(postcode.text, month);
      this.lastRow = { postcode: postcode.text, month, key };
    }
    rows.set(key, (rows.get(key) ?? 0) + 1);
  }

  /** The rows of one (manufacturer, location type, model); the devices of a site mostly repeat the last one's. */
  private modelRows(manufacturer: string, locationType: string, model: string): ModelRows {
    const last = this.lastModel;
    if (
      last !== undefined &&
      last.model === model &&
      last.manufacturer === manufacturer &&
      last.locationType === locationType
    )
      return last.rows;
    const rows = child(child(child(this.tree, manufacturer), locationType), model);
    this.lastModel = { manufacturer, locationType, model, rows };
    return rows;
  }

  /** An element of the ChargeDevice array that is not an object. */
  addMalformed(): void {
    this.stats.malformedRecords++;
  }

  get devicesSeen(): number {
    return this.stats.devicesSeen;
  }

  /** Forgets everything: a later duplicate ChargeDevice key replaces the earlier array. */
  reset(): void {
    this.tree = new Map();
    this.lastModel = undefined;
    this.stats = emptyStats();
  }

  /**
   * The statistics, and the rows in contract order. Each model's rows are sorted
   * and released as they are consumed, so only one model's key array exists at a
   * time. The aggregator is empty afterwards.
   */
  finish(): { stats: TransformStats; rows: Iterable<ChargerModelRow> } {
    let rowCount = 0;
    for (const byLocationType of this.tree.values()) {
      for (const byModel of byLocationType.values()) for (const rows of byModel.values()) rowCount += rows.size;
    }
    const stats = { ...this.stats, rows: rowCount };
    const tree = this.tree;
    this.reset();
    return { stats, rows: sortedRows(tree) };
  }
}

function* sortedRows(tree: RowTree): Generator<ChargerModelRow> {
  for (const manufacturer of sortedKeys(tree)) {
    const byLocationType = tree.get(manufacturer)!;
    for (const locationType of sortedKeys(byLocationType)) {
      const byModel = byLocationType.get(locationType)!;
      for (const model of sortedKeys(byModel)) {
        const rows = byModel.get(model)!;
        byModel.delete(model);
        for (const key of sortedKeys(rows)) {
          const hasMonth = !key.endsWith(POSTCODE_END);
          yield {
            manufacturer,
            locationType,
            model,
            postcode: postcodeOfRowKey(key, hasMonth),
            month: hasMonth ? key.slice(-MONTH_LENGTH) : '',
            count: rows.get(key)!,
          };
        }
      }
    }
  }
}
