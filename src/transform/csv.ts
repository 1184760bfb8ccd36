import { stringify, type Options } from 'csv-stringify/sync';
import type { ChargerModelRow } from './aggregate';

const CSV_COLUMNS = [
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

/** A CSV record: the fields in column order. */
export type CsvRecord = (string | number)[];

/**
 * CSV text under the contract's rules, in chunks, for any columns; the first chunk
 * carries the header, and with no records it is the header alone. Concatenated,
 * the chunks are the whole file.
 */
export function* contractCsvChunks(columns: readonly string[], records: Iterable<CsvRecord>): Generator<string> {
  const options: Options = { ...CSV_OPTIONS, columns: [...columns] };
  let header = true;
  let batch: CsvRecord[] = [];
  for (const record of records) {
    batch.push(record);
    if (batch.length === ROWS_PER_CHUNK) {
      yield stringify(batch, { ...options, header });
      header = false;
      batch = [];
    }
  }
  if (batch.length > 0 || header) yield stringify(batch, { ...options, header });
}

/** charger_models_UK.csv in chunks (see contractCsvChunks). */
export function csvChunks(rows: Iterable<ChargerModelRow>): Generator<string> {
  return contractCsvChunks(CSV_COLUMNS, chargerModelRecords(rows));
}

function* chargerModelRecords(rows: Iterable<ChargerModelRow>): Generator<CsvRecord> {
  for (const row of rows) yield [row.manufacturer, row.locationType, row.model, row.postcode, row.month, row.count];
}

/** The whole CSV as one string (small outputs and tests). */
export function formatCsv(rows: Iterable<ChargerModelRow>): string {
  return [...csvChunks(rows)].join('');
}
