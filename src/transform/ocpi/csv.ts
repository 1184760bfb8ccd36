import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contractCsvChunks, type CsvRecord } from '../csv';
import type { ChargePointRow } from './chargePointRows';

export const CHARGE_POINT_COLUMNS = [
  'Operator',
  'ParkingType',
  'ConnectorTypes',
  'SpeedCategory',
  'PostCode',
  'MonthUpdated',
  'EVSEs',
] as const;

/** charge_points_UK.csv in chunks, under the same CSV rules as charger_models_UK.csv. */
export function chargePointCsvChunks(rows: Iterable<ChargePointRow>): Generator<string> {
  return contractCsvChunks(CHARGE_POINT_COLUMNS, chargePointRecords(rows));
}

/** Writes charge_points_UK.csv of `rows` (in contract order) to `output`, and ends it. */
export async function writeChargePointCsv(rows: Iterable<ChargePointRow>, output: Writable): Promise<void> {
  await pipeline(Readable.from(csvBytes(rows), { objectMode: false }), output);
}

function* chargePointRecords(rows: Iterable<ChargePointRow>): Generator<CsvRecord> {
  for (const row of rows) {
    yield [row.operator, row.parkingType, row.connectorTypes, row.speedCategory, row.postcode, row.month, row.evses];
  }
}

function* csvBytes(rows: Iterable<ChargePointRow>): Generator<Buffer> {
  for (const text of chargePointCsvChunks(rows)) yield Buffer.from(text, 'utf8');
}
