import { describe, expect, it } from 'vitest';
import { connectorTypes, connectorWatts, idText, powerNumber } from '../../src/transform/ocpi/rules';
import { rowsOf, statsWith, transformBody, transformFeeds } from './ocpi-helpers';

/** A Location with one EVSE and one connector, overridable at each level. */
function location(
  fields: Record<string, unknown> = {},
  evse: Record<string, unknown> = {},
  connector: Record<string, unknown> = {},
) {
  return {
    country_code: 'GB',
    party_id: 'ABC',
    id: 'LOC1',
    country: 'GBR',
    postal_code: 'TW6 2RQ',
    parking_type: 'ON_STREET',
    last_updated: '2026-09-01T00:00:00Z',
    evses: [
      {
        uid: 'E1',
        status: 'AVAILABLE',
        last_updated: '2026-10-02T00:00:00Z',
        connectors: [{ standard: 'IEC_62196_T2', max_electric_power: 7400, ...connector }],
        ...evse,
      },
    ],
    ...fields,
  };
}

const page = (...locations: unknown[]): Buffer => Buffer.from(JSON.stringify({ data: locations }));

describe('Operator', () => {
  it.each([
    [{ name: '  Pod Point  ' }, 'Feed', 'Pod Point'],
    [{ name: '   ' }, ' Fallback ', 'Fallback'],
    [{ name: '' }, 'Fallback', 'Fallback'],
    [{ name: 42 }, 'Fallback', 'Fallback'],
    [{}, 'Fallback', 'Fallback'],
    [[{ name: 'In an array' }], 'Fallback', 'Fallback'],
    ['Operator as a string', 'Fallback', 'Fallback'],
    [undefined, 'Fallback', 'Fallback'],
  ])('operator %j with fallback %j is %j', (operator, fallback, expected) => {
    expect(rowsOf([location({ operator })], fallback)[0].split(',')[0]).toBe(expected);
  });
});

describe('ParkingType', () => {
  it.each(['ALONG_MOTORWAY', 'PARKING_GARAGE', 'PARKING_LOT', 'ON_DRIVEWAY', 'ON_STREET', 'UNDERGROUND_GARAGE'])(
    'keeps %s',
    (type) => {
      expect(rowsOf([location({ parking_type: type })])[0].split(',')[1]).toBe(type);
    },
  );

  it.each([
    [' on_street ', 'ON_STREET'],
    ['Parking_Lot', 'PARKING_LOT'],
    ['STREET', ''],
    ['ON STREET', ''],
    [7, ''],
    [null, ''],
    [undefined, ''],
  ])('reads %j as %j', (value, expected) => {
    expect(rowsOf([location({ parking_type: value })])[0].split(',')[1]).toBe(expected);
  });
});

describe('Location filters', () => {
  it('skips publish: false, but not other falsy values', () => {
    const result = transformBody({
      data: [
        location({ publish: false }),
        location({ id: 'L2', publish: 'false' }),
        location({ id: 'L3', publish: 0 }),
        location({ id: 'L4', publish: null }),
      ],
    });
    expect(result.stats).toMatchObject({ locationsSeen: 4, locationsUnpublished: 1, evsesSeen: 3, evsesKept: 3 });
  });

  it.each([
    ['FRA', true],
    [' fra ', true],
    ['IE', true],
    ['GBR', false],
    [' gbr ', false],
    ['gb', false],
    ['', false],
    ['  ', false],
    [826, false],
    [null, false],
    [undefined, false],
  ])('country %j is outside the UK: %s', (country, outside) => {
    const result = transformBody({ data: [location({ country })] });
    expect(result.stats).toMatchObject({
      locationsSeen: 1,
      locationsOutsideUk: outside ? 1 : 0,
      evsesSeen: outside ? 0 : 1,
      evsesKept: outside ? 0 : 1,
    });
  });

  it('checks publish before country: an unpublished foreign Location counts as unpublished only', () => {
    expect(transformBody({ data: [location({ publish: false, country: 'FRA' })] }).stats).toMatchObject({
      locationsUnpublished: 1,
      locationsOutsideUk: 0,
    });
  });
});

describe('EVSE status, dedupe and malformed records', () => {
  it('skips REMOVED EVSEs (trimmed, any case) and keeps other statuses', () => {
    const evses = [' removed ', 'REMOVED', 'Removed', 'REMOVED_X', 'WORKING', 3, null].map((status, k) => ({
      uid: `E${k}`,
      status,
    }));
    expect(transformBody({ data: [location({ evses })] }).stats).toMatchObject({
      evsesSeen: 7,
      evsesRemoved: 3,
      evsesKept: 4,
    });
  });

  it('counts a (country_code, party_id, id, uid) once, across pages and feeds, at its first non-removed occurrence', () => {
    const removedFirst = location({}, { status: 'REMOVED' });
    const result = transformFeeds([
      { name: 'A', bodies: [page(removedFirst, location()), page(location())] },
      {
        name: 'B',
        bodies: [
          page(
            location(),
            location({ country_code: 'IE' }),
            location({ party_id: 'XYZ' }),
            location({ id: 'LOC2' }),
            location({}, { uid: 'E2' }),
          ),
        ],
      },
    ]);
    expect(result.stats).toMatchObject({ evsesSeen: 8, evsesRemoved: 1, duplicatesDropped: 2, evsesKept: 5 });
  });

  it('reads an absent country_code or party_id as "" in the key', () => {
    const result = transformBody({
      data: [
        location({ country_code: undefined, party_id: null }),
        location({ country_code: '', party_id: [] }),
        location({ country_code: 'GB', party_id: '' }),
      ],
    });
    expect(result.stats).toMatchObject({ duplicatesDropped: 1, evsesKept: 2 });
  });

  it('keys numeric ids by their decimal digits, equal to the same digits as a string', () => {
    const result = transformBody({
      data: [location({ id: 5 }, { uid: 7 }), location({ id: '5' }, { uid: '7' }), location({ id: 5 }, { uid: 7.0 })],
    });
    expect(result.stats).toMatchObject({ duplicatesDropped: 2, evsesKept: 1 });
  });

  it('does not dedupe when the Location id or the EVSE uid is absent (empty, fractional, >= 2^53, not a string or number)', () => {
    const absent = ['', 1.5, 2 ** 53, -(2 ** 53), 1e300, true, null, { a: 1 }];
    for (const id of absent) {
      expect(
        transformBody({ data: [location({ id }), location({ id })] }).stats,
        `id ${JSON.stringify(id)}`,
      ).toMatchObject({ duplicatesDropped: 0, evsesKept: 2 });
      expect(
        transformBody({ data: [location({}, { uid: id }), location({}, { uid: id })] }).stats,
        `uid ${JSON.stringify(id)}`,
      ).toMatchObject({ duplicatesDropped: 0, evsesKept: 2 });
    }
    // 2^53 - 1 is still an id, and 2^53 + 1 in the text reads as 2^53: absent, never equal to 9007199254740992.
    expect(
      transformBody(
        `{"data":[${JSON.stringify(location({ id: 2 ** 53 - 1 }))},${JSON.stringify(location({ id: 2 ** 53 - 1 }))}]}`,
      ).stats,
    ).toMatchObject({ duplicatesDropped: 1 });
    const big = (digits: string) => JSON.stringify(location({ id: 'X' })).replace('"X"', digits);
    expect(transformBody(`[${big('9007199254740993')},${big('9007199254740992')}]`).stats).toMatchObject({
      duplicatesDropped: 0,
      evsesKept: 2,
    });
  });

  it('reads ids as they are, untrimmed', () => {
    expect(idText(' L1 ')).toBe(' L1 ');
    expect(idText(-0)).toBe('0');
    expect(idText(-12)).toBe('-12');
    expect(idText(2 ** 53 - 1)).toBe('9007199254740991');
    expect(idText(2 ** 53)).toBeUndefined();
  });

  it('counts non-object Locations and EVSEs as malformed, ignores non-object connectors, and skips the EVSEs of a malformed Location', () => {
    const result = transformBody({
      data: [
        null,
        1,
        'x',
        true,
        [location()],
        location({ evses: [null, [], 'E', location().evses[0]] }),
        location({
          id: 'L2',
          evses: [{ uid: 'E9', connectors: [null, 1, [], { standard: 'CHADEMO', max_electric_power: 50 }] }],
        }),
      ],
    });
    expect(result.stats).toEqual(
      statsWith({ malformedRecords: 8, locationsSeen: 2, evsesSeen: 2, evsesKept: 2, monthMissing: 0, rows: 2 }),
    );
    expect(result.csv).toContain('Feed,ON_STREET,CHADEMO,rapid,TW6 2RQ,2026-09,1');
  });

  it('reads a Location without an evses array as having none', () => {
    for (const evses of [undefined, null, {}, 'E1', 3]) {
      expect(transformBody({ data: [location({ evses })] }).stats).toEqual(statsWith({ locationsSeen: 1 }));
    }
  });
});

describe('PostCode', () => {
  it.each([
    ['TW6 2RQ', 'TW6 2RQ', {}],
    ['tw62rq', 'TW6 2RQ', { postcodeNormalized: 2 }],
    [' TW6  2RQ ', 'TW6 2RQ', { postcodeNormalized: 2 }],
    ['n/a', 'N/A', { postcodeInvalid: 2, postcodeNormalized: 2 }],
    ['UNKNOWN', 'UNKNOWN', { postcodeInvalid: 2 }],
    ['   ', '', { postcodeMissing: 2 }],
    [12345, '', { postcodeMissing: 2 }],
    [undefined, '', { postcodeMissing: 2 }],
  ])('postal_code %j is %j, counted per kept EVSE', (postal_code, expected, counts) => {
    const evses = [{ uid: 'E1' }, { uid: 'E2' }, { uid: 'E3', status: 'REMOVED' }, { uid: 'E1' }];
    const result = transformBody({ data: [location({ postal_code, evses })] });
    expect(result.stats).toEqual(
      statsWith({
        locationsSeen: 1,
        evsesSeen: 4,
        evsesRemoved: 1,
        duplicatesDropped: 1,
        evsesKept: 2,
        speedUnknown: 2,
        monthMissing: 0,
        rows: 1,
        ...counts,
      }),
    );
    expect(rowsOf([location({ postal_code })])[0].split(',')[4]).toBe(expected);
  });
});

describe('ConnectorTypes', () => {
  const standards = (...values: unknown[]) =>
    connectorTypes(values.map((standard) => (standard === undefined ? {} : { standard })));

  it('trims, uppercases, dedupes and sorts by UTF-16 code units, joined with +', () => {
    expect(standards('iec_62196_t2', ' CHADEMO ', 'IEC_62196_T2_COMBO', 'chademo')).toBe(
      'CHADEMO+IEC_62196_T2+IEC_62196_T2_COMBO',
    );
    // Code units, not locale order: "Z" (0x5A) < "_" (0x5F) < "É" (0xC9); localeCompare would put "_A" first.
    expect(standards('_a', 'é', 'z')).toBe('Z+_A+É');
  });

  it('reads a missing, blank or non-string standard as UNKNOWN', () => {
    expect(standards(undefined, '  ', 7, null, 'CCS2')).toBe('CCS2+UNKNOWN');
  });

  it('is empty for an EVSE without connector objects', () => {
    expect(rowsOf([location({}, { connectors: [] })])[0].split(',')[2]).toBe('');
    expect(rowsOf([location({}, { connectors: [null, 'x'] })])[0].split(',')[2]).toBe('');
    expect(rowsOf([location({}, { connectors: undefined })])[0].split(',')[2]).toBe('');
  });
});

describe('SpeedCategory', () => {
  it.each([
    [7999, 'slow'],
    [8000, 'fast'],
    [49999, 'fast'],
    [50000, 'rapid'],
    [149999, 'rapid'],
    [150000, 'ultra-rapid'],
    [1000, 'slow'],
    [999, 'ultra-rapid'],
    [7.4, 'slow'],
    [22, 'fast'],
    [50, 'rapid'],
    [350, 'ultra-rapid'],
  ])('max_electric_power %j is %s', (power, speed) => {
    expect(rowsOf([location({}, {}, { max_electric_power: power })])[0].split(',')[3]).toBe(speed);
  });

  it.each([
    [{ max_electric_power: 22000 }, 22000],
    [{ max_electric_power: 7.4 }, 7400],
    [{ max_electric_power: ' 50 ' }, 50000],
    [{ max_electric_power: '-5', max_voltage: 230, max_amperage: 32 }, 7360],
    [{ max_electric_power: 0, max_voltage: 230, max_amperage: 32 }, 7360],
    [{ max_electric_power: '50 000', max_voltage: 230, max_amperage: 16 }, 3680],
    [{ max_electric_power: true, max_voltage: 230, max_amperage: 16 }, 3680],
    [{ max_voltage: 400, max_amperage: 32, power_type: 'AC_3_PHASE' }, 38400],
    [{ max_voltage: ' 400 ', max_amperage: '32.5', power_type: ' ac_3_phase ' }, 39000],
    [{ max_voltage: 230, max_amperage: 32, power_type: 'AC_2_PHASE' }, 14720],
    [{ max_voltage: 230, max_amperage: 32, power_type: 'AC_2_PHASE_SPLIT' }, 14720],
    [{ max_voltage: 230, max_amperage: 32, power_type: 'AC_1_PHASE' }, 7360],
    [{ max_voltage: 920, max_amperage: 500, power_type: 'DC' }, 460000],
    [{ max_voltage: 230, max_amperage: 32, power_type: 3 }, 7360],
  ])('connector %j has %d W', (connector, watts) => {
    expect(connectorWatts(connector)).toBe(watts);
  });

  it.each([
    [{}],
    [{ max_electric_power: 0 }],
    [{ max_voltage: 230 }],
    [{ max_voltage: 230, max_amperage: 0 }],
    [{ max_voltage: -230, max_amperage: -32 }],
    [{ max_voltage: 0, max_amperage: 0, max_electric_power: 0 }],
    [{ max_voltage: true, max_amperage: true }],
    [{ max_voltage: '230V', max_amperage: '32' }],
    [{ max_voltage: '2.3e2', max_amperage: '32' }],
    [{ max_voltage: '230.', max_amperage: '32' }],
    [{ max_voltage: '+230', max_amperage: '32' }],
    [{ max_voltage: '\t230', max_amperage: '32' }],
    [{ max_voltage: [230], max_amperage: 32 }],
  ])('connector %j has no known power', (connector) => {
    expect(connectorWatts(connector)).toBeUndefined();
  });

  it('reads numbers as the contract says: finite JSON numbers and plain decimal strings with spaces', () => {
    expect(powerNumber(' -0012.50  ')).toBe(-12.5);
    expect(powerNumber(JSON.parse('1e400'))).toBeUndefined();
    expect(powerNumber('9'.repeat(400))).toBeUndefined();
    expect(powerNumber('')).toBeUndefined();
    expect(powerNumber(false)).toBeUndefined();
  });

  it('takes the highest known connector and ignores unknown ones; none known is unknown', () => {
    const evse = (connectors: unknown[]) => ({ connectors });
    expect(
      rowsOf([location({ evses: [evse([{ max_electric_power: 7400 }, {}, { max_electric_power: 50000 }])] })])[0],
    ).toContain(',rapid,');
    const result = transformBody({ data: [location({ evses: [evse([{}, { max_voltage: 230 }]), evse([])] })] });
    expect(result.stats).toMatchObject({ evsesKept: 2, speedUnknown: 2 });
    expect(result.csv).toContain(',unknown,');
  });
});

describe('MonthUpdated', () => {
  it.each([
    ['2026-10-02T00:00:00Z', '2026-09-01T00:00:00Z', '2026-10', 0],
    ['2026-1', '2026-09-01T00:00:00Z', '2026-09', 0],
    [undefined, '2026-09-01', '2026-09', 0],
    [20261002, '2026-09', '2026-09', 0],
    ['２０２６-10', '2026-09', '2026-09', 0],
    ['garbage', 'also garbage', '', 1],
    [undefined, undefined, '', 1],
  ])('EVSE %j, Location %j: %j', (evseUpdated, locationUpdated, month, missing) => {
    const result = transformBody({
      data: [location({ last_updated: locationUpdated }, { last_updated: evseUpdated })],
    });
    expect(result.csv.split('\n')[1].split(',')[5]).toBe(month);
    expect(result.stats.monthMissing).toBe(missing);
  });
});

describe('rows', () => {
  it('counts kept EVSEs per distinct six fields, sorted field by field with code-unit comparison, quoting as the charger-models CSV', () => {
    const result = transformFeeds([
      {
        name: 'b',
        bodies: [page(location({ id: 'L1' }), location({ id: 'L2' }), location({ id: 'L3', postal_code: 'sw1a 1aa' }))],
      },
      { name: 'a,"quoted"', bodies: [page(location({ id: 'L4' }))] },
      { name: 'B', bodies: [page(location({ id: 'L5' }))] },
    ]);
    expect(result.csv).toBe(
      'Operator,ParkingType,ConnectorTypes,SpeedCategory,PostCode,MonthUpdated,EVSEs\n' +
        'B,ON_STREET,IEC_62196_T2,slow,TW6 2RQ,2026-10,1\n' +
        '"a,""quoted""",ON_STREET,IEC_62196_T2,slow,TW6 2RQ,2026-10,1\n' +
        'b,ON_STREET,IEC_62196_T2,slow,SW1A 1AA,2026-10,1\n' +
        'b,ON_STREET,IEC_62196_T2,slow,TW6 2RQ,2026-10,2\n',
    );
    expect(result.stats.rows).toBe(4);
  });

  it('orders a field before its own extensions, whatever follows', () => {
    const rows = rowsOf([
      location({ id: 'L1', operator: { name: 'Op' }, parking_type: 'PARKING_LOT' }),
      location({ id: 'L2', operator: { name: 'Op\u0000' } }),
      location({ id: 'L3', operator: { name: 'Op!' } }),
    ]);
    expect(rows.map((row) => row.split(',')[0])).toEqual(['Op', 'Op\u0000', 'Op!']);
  });

  it('is the header alone when nothing is kept', () => {
    expect(transformBody([]).csv).toBe(
      'Operator,ParkingType,ConnectorTypes,SpeedCategory,PostCode,MonthUpdated,EVSEs\n',
    );
  });
});
