/** The recorded open-data feed responses live in assets/open-data/ (the demo serves them too). */
export {
  RECORDED_FEEDS_DIR as OPEN_DATA_FIXTURES,
  recordedBody,
  recordedExchange,
  type RecordedExchange,
} from '../../src/demo/recordedFeeds';

/** charge_points_UK.csv of chargy/locations_page1.json then locations_page2.json, fallback name char.gy (fixture README). */
export const CHARGY_EXPECTED_CSV =
  'Operator,ParkingType,ConnectorTypes,SpeedCategory,PostCode,MonthUpdated,EVSEs\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N15 5DX,2026-10,1\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N15 6BT,2026-10,1\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N22 8LY,2026-10,1\n' +
  'char.gy,ON_STREET,IEC_62196_T2,slow,N8 9AX,2026-10,1\n';
