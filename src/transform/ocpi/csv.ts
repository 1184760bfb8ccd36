import { contractCsvChunks, type CsvRecord } from '../csv';
import type { ChargePointRow } from './aggregate';

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

function* chargePointRecords(rows: Iterable<ChargePointRow>): Generator<CsvRecord> {
  for (const row of rows) {
    yield [row.operator, row.parkingType, row.connectorTypes, row.speedCategory, row.postcode, row.month, row.evses];
  }
}
