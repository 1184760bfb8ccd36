import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The recorded open-data feed responses (see test/fixtures/open-data/README.md). */
export const OPEN_DATA_FIXTURES = join(__dirname, '..', 'fixtures', 'open-data');

/** One recorded HTTP exchange of a feed. */
export interface RecordedExchange {
  request: { method: string; url: string };
  response: { status_code: number; headers: Record<string, string>; body: unknown };
}

export function recordedExchange(path: string): RecordedExchange {
  return JSON.parse(readFileSync(join(OPEN_DATA_FIXTURES, path), 'utf8')) as RecordedExchange;
}

/**
 * The response body of a recorded exchange as the feed sent it: the fixture holds it
 * as parsed JSON, so it is serialised again (the same JSON value as the original bytes).
 */
export function recordedBody(path: string): Buffer {
  return Buffer.from(JSON.stringify(recordedExchange(path).response.body), 'utf8');
}

/** charge_points_UK.csv of chargy/locations_page1.json then locations_page2.json, fallback name char.gy (fixture README). */
export const CHARGY_EXPECTED_CSV =
  'Operator,ParkingType,ConnectorTypes,SpeedCategory,PostCode,MonthUpdated,EVSEs\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N15 5DX,2026-10,1\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N15 6BT,2026-10,1\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N22 8LY,2026-10,1\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N8 9AX,2026-10,1\n';
