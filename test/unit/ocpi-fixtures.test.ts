import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceChargePoints } from '../../src/transform/ocpi/reference';
import { CHARGY_EXPECTED_CSV, OPEN_DATA_FIXTURES, recordedBody } from '../support/openDataFixtures';
import { OCPI_CSV_HEADER, statsWith, transformFeeds, type FeedBodies } from './ocpi-helpers';

/** Runs both implementations and checks they agree before returning the streaming result. */
function transformBoth(feeds: FeedBodies[]) {
  const streamed = transformFeeds(feeds, [4096]);
  expect(streamed).toEqual(referenceChargePoints(feeds));
  return streamed;
}

describe('the recorded open-data feeds (expected outputs of assets/open-data/README.md)', () => {
  it('keeps the attribution beside the data', () => {
    expect(readFileSync(join(OPEN_DATA_FIXTURES, 'README.md'), 'utf8')).toContain('Open Government Licence v3.0');
  });

  it('makes char.gy page 1 then page 2, fallback char.gy, into the expected CSV byte for byte', () => {
    const result = transformBoth([
      {
        name: 'char.gy',
        bodies: [recordedBody('chargy/locations_page1.json'), recordedBody('chargy/locations_page2.json')],
      },
    ]);
    expect(result.csv).toBe(CHARGY_EXPECTED_CSV);
    expect(result.stats).toEqual(statsWith({ locationsSeen: 4, evsesSeen: 4, evsesKept: 4, rows: 4 }));
  });

  it('makes GeniePoint alone, fallback GeniePoint, into 16 rows of 20 EVSEs starting as the README shows', () => {
    const result = transformBoth([{ name: 'GeniePoint', bodies: [recordedBody('geniepoint/locations_page1.json')] }]);
    const lines = result.csv.split('\n');
    expect(lines.slice(0, 3).join('\n')).toBe(
      OCPI_CSV_HEADER +
        'GeniePoint,PARKING_LOT,CHADEMO,rapid,DY9 0JB,2026-10,1\nGeniePoint,PARKING_LOT,CHADEMO,rapid,G82 2QU,2026-10,2',
    );
    expect(lines).toContain('GeniePoint,PARKING_LOT,IEC_62196_T2,slow,NE66 2PF,2026-03,2');
    expect(lines.slice(1, -1).reduce((sum, line) => sum + Number(line.split(',').at(-1)), 0)).toBe(20);
    expect(result.stats).toEqual(statsWith({ locationsSeen: 5, evsesSeen: 20, evsesKept: 20, rows: 16 }));
  });

  it('reads Mer UK locations out of data.locations.data and ignores its tariffs', () => {
    const result = transformBoth([{ name: 'Mer UK', bodies: [recordedBody('mer_uk/data.json')] }]);
    expect(result.stats).toEqual(statsWith({ locationsSeen: 6, evsesSeen: 24, evsesKept: 24, rows: 7 }));
    // Its Locations name their operator, so the fallback name is not used.
    expect(result.csv).not.toContain('Mer UK');
    expect(result.csv).toContain('Mer,ON_STREET,IEC_62196_T2,slow,DH1 3TQ,2026-10,11\n');
  });

  it('reads the non-conformant Jolt shape: bare locations, no ids or dates, EVSEs without connectors', () => {
    const result = transformBoth([{ name: 'Jolt', bodies: [recordedBody('jolt/locations.json')] }]);
    expect(result.stats).toEqual(
      statsWith({ locationsSeen: 4, evsesSeen: 8, evsesKept: 8, speedUnknown: 2, monthMissing: 8, rows: 6 }),
    );
    expect(result.csv).toContain('Jolt,ON_STREET,,unknown,NW11 0AA,,2\n');
    expect(result.csv).toContain('Jolt,ON_STREET,CCS2,ultra-rapid,NG9 6DL,,2\n');
  });

  it('reads ChargePlace Scotland: numeric ids, no parking_type, and a 0 A / 0 W connector of unknown speed', () => {
    const result = transformBoth([
      { name: 'ChargePlace Scotland', bodies: [recordedBody('chargeplace_scotland/locations_page1.json')] },
    ]);
    expect(result.stats).toEqual(
      statsWith({ locationsSeen: 6, evsesSeen: 14, evsesKept: 14, speedUnknown: 1, rows: 11 }),
    );
    expect(result.csv).toContain('ChargePlace Scotland,,IEC_62196_T2,unknown,IV25 3SD,2026-04,1\n');
    // Its numeric ids are keys: the same page twice counts every EVSE once.
    const twice = transformBoth([
      {
        name: 'ChargePlace Scotland',
        bodies: [
          recordedBody('chargeplace_scotland/locations_page1.json'),
          recordedBody('chargeplace_scotland/locations_page1.json'),
        ],
      },
    ]);
    expect(twice.stats).toMatchObject({ locationsSeen: 12, evsesSeen: 28, duplicatesDropped: 14, evsesKept: 14 });
    expect(twice.csv).toBe(result.csv);
  });

  it('dedupes across feeds: the char.gy pages served again by a second feed, with its date_from page, count once', () => {
    const chargy = [recordedBody('chargy/locations_page1.json'), recordedBody('chargy/locations_page2.json')];
    const result = transformBoth([
      { name: 'char.gy', bodies: chargy },
      { name: 'char.gy again', bodies: [...chargy, recordedBody('chargy/locations_since_page1.json')] },
    ]);
    expect(result.stats).toMatchObject({
      locationsSeen: 10,
      evsesSeen: 10,
      duplicatesDropped: 4,
      evsesKept: 6,
      rows: 6,
    });
    expect(result.csv).not.toContain('char.gy again');
  });
});
