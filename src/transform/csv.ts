import { stringify, type Options } from 'csv-stringify/sync';
import type { ChargerModelRow } from './aggregate';

export const CSV_COLUMNS = [
  'ChargeDeviceManufacturer',
  'LocationType',
  'ChargeDeviceModel',
  'PostCode',
  'MonthUpdated',
  'Count',
] as const;

/**
 * The contract: UTF-8 without BOM, LF after every record including the last,
 * fields quoted only when they contain a comma, a double quote, CR or LF.
 */
const CSV_OPTIONS: Options = {
  columns: [...CSV_COLUMNS],
  bom: false,
  record_delimiter: '\n',
  // Setting record_delimiter switches csv-stringify's CR/LF quoting off unless asked for.
  quote_record_delimiter: true,
};

/**
 * Rows per csv-stringify call: enough to amortise the call, few enough that a batch
 * dies young instead of being promoted (larger batches raised peak RSS by ~100 MB
 * at a million rows).
 */
const ROWS_PER_CHUNK = 256;

/**
 * The CSV text in chunks; the first chunk carries the header, and with no rows it
 * is the header alone. Concatenated, the chunks are the whole file.
 */
export function* csvChunks(rows: Iterable<ChargerModelRow>): Generator<string> {
  let header = true;
  let records: (string | number)[][] = [];
  for (const row of rows) {
    records.push([row.manufacturer, row.locationType, row.model, row.postcode, row.month, row.count]);
    if (records.length === ROWS_PER_CHUNK) {
      yield stringify(records, { ...CSV_OPTIONS, header });
      header = false;
      records = [];
    }
  }
  if (records.length > 0 || header) yield stringify(records, { ...CSV_OPTIONS, header });
}

/** The whole CSV as one string (small outputs and tests). */
export function formatCsv(rows: Iterable<ChargerModelRow>): string {
  return [...csvChunks(rows)].join('');
}
