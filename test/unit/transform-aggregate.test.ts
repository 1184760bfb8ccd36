import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../src/domain/stats';
import { DeviceAggregator, type ChargerModelRow } from '../../src/transform/aggregate';

type Fields = [manufacturer: unknown, locationType: unknown, model: unknown, postcode: unknown, dateUpdated: unknown];

function aggregate(devices: Fields[]): {
  rows: ChargerModelRow[];
  stats: ReturnType<DeviceAggregator['finish']>['stats'];
} {
  const aggregator = new DeviceAggregator();
  for (const fields of devices) aggregator.addDevice(...fields);
  const { stats, rows } = aggregator.finish();
  return { stats, rows: [...rows] };
}

function tuples(rows: ChargerModelRow[]): string[][] {
  return rows.map((row) => [row.manufacturer, row.locationType, row.model, row.postcode, row.month, String(row.count)]);
}

describe('DeviceAggregator', () => {
  it('counts kept devices per distinct five fields, after applying the rules', () => {
    const { rows } = aggregate([
      ['APT', 'Car park', 'Raption', 'rg12lu', '2020-01-06 14:50:21'],
      [' APT ', 'Car park', 'Raption ', 'RG1 2LU', '2020-01-30'],
      ['APT', 'Car park', 'Raption', 'RG1 2LU', '2020-02-01'],
      ['APT', 'Car park', 'Raption', null, '2020-02-01'],
    ]);
    expect(tuples(rows)).toEqual([
      ['APT', 'Car park', 'Raption', '', '2020-02', '1'],
      ['APT', 'Car park', 'Raption', 'RG1 2LU', '2020-01', '2'],
      ['APT', 'Car park', 'Raption', 'RG1 2LU', '2020-02', '1'],
    ]);
  });

  it('drops devices whose model text is empty and keeps numeric models', () => {
    const { rows, stats } = aggregate([
      ['A', 'L', '', 'TW6 2RQ', '2020-01'],
      ['A', 'L', '   ', 'TW6 2RQ', '2020-01'],
      ['A', 'L', null, 'TW6 2RQ', '2020-01'],
      ['A', 'L', undefined, 'TW6 2RQ', '2020-01'],
      ['A', 'L', { name: 'x' }, 'TW6 2RQ', '2020-01'],
      ['A', 'L', 0, 'TW6 2RQ', '2020-01'],
    ]);
    expect(tuples(rows)).toEqual([['A', 'L', '0', 'TW6 2RQ', '2020-01', '1']]);
    expect(stats).toMatchObject({ devicesSeen: 6, devicesKept: 1, droppedNoModel: 5, rows: 1 });
  });

  it('sorts by the five fields in order, by UTF-16 code units rather than locale', () => {
    const { rows } = aggregate([
      ['b', 'x', 'm', 'AB1 2CD', '2020-01'],
      ['a', 'y', 'm', 'AB1 2CD', '2020-01'],
      ['a', 'x', 'n', 'AB1 2CD', '2020-01'],
      ['a', 'x', 'm', 'ZZ1 1ZZ', '2019-01'],
      ['a', 'x', 'm', 'AB1 2CD', '2021-01'],
      ['a', 'x', 'm', 'AB1 2CD', ''],
      ['B', 'x', 'm', 'AB1 2CD', '2020-01'],
      ['é', 'x', 'm', 'AB1 2CD', '2020-01'],
      ['z', 'x', 'm', 'AB1 2CD', '2020-01'],
      ['\uffff', 'x', 'm', 'AB1 2CD', '2020-01'],
      ['😀', 'x', 'm', 'AB1 2CD', '2020-01'],
    ]);
    expect(
      rows.map((row) => [row.manufacturer, row.locationType, row.model, row.postcode, row.month].join('|')),
    ).toEqual([
      'B|x|m|AB1 2CD|2020-01',
      'a|x|m|AB1 2CD|',
      'a|x|m|AB1 2CD|2021-01',
      'a|x|m|ZZ1 1ZZ|2019-01',
      'a|x|n|AB1 2CD|2020-01',
      'a|y|m|AB1 2CD|2020-01',
      'b|x|m|AB1 2CD|2020-01',
      'z|x|m|AB1 2CD|2020-01',
      'é|x|m|AB1 2CD|2020-01',
      // U+1F600 is stored as the surrogates D83D DE00, which sort below U+FFFF.
      '😀|x|m|AB1 2CD|2020-01',
      '\uffff|x|m|AB1 2CD|2020-01',
    ]);
  });

  it('orders postcodes that are prefixes of others, or contain U+0000, like plain string comparison', () => {
    const postcodes = ['a', 'a\u0000', 'a\u0000b', 'a\u0001', '', 'a b', '\u0000', 'a\u0000\u0000'];
    const { rows } = aggregate(postcodes.map((postcode): Fields => ['M', 'L', 'X', postcode, '2020-01']));
    const expected = postcodes
      .filter((postcode) => postcode !== '')
      .map((postcode) => postcode.toUpperCase().trim())
      .sort();
    expect(rows.map((row) => row.postcode)).toEqual(['', ...expected]);
    expect(rows.every((row) => row.month === '2020-01')).toBe(true);
  });

  it('keeps the month apart from postcodes that look like months', () => {
    const { rows } = aggregate([
      ['M', 'L', 'X', '2020-01', ''],
      ['M', 'L', 'X', '', '2020-01'],
    ]);
    expect(rows.map((row) => [row.postcode, row.month])).toEqual([
      ['', '2020-01'],
      ['2020-01', ''],
    ]);
  });

  it('counts postcode and month statistics among kept devices only', () => {
    const { stats } = aggregate([
      ['M', 'L', 'X', 'TW6 2RQ', '2020-01'],
      ['M', 'L', 'X', 'tw62rq', '2020-01'],
      ['M', 'L', 'X', ' TW6 2RQ', '2020-01'],
      ['M', 'L', 'X', 'nope', 'n/a'],
      ['M', 'L', 'X', 'NOPE', null],
      ['M', 'L', 'X', null, '2020-01'],
      ['M', 'L', 'X', '  ', '2020-01'],
      ['M', 'L', '', 'not kept', 'not kept'],
    ]);
    expect(stats).toEqual({
      ...emptyStats(),
      devicesSeen: 8,
      devicesKept: 7,
      droppedNoModel: 1,
      postcodeMissing: 2,
      postcodeInvalid: 2,
      postcodeNormalized: 3,
      monthMissing: 2,
      rows: 3,
    });
  });

  it('counts malformed records and forgets everything on reset', () => {
    const aggregator = new DeviceAggregator();
    aggregator.addDevice('M', 'L', 'X', 'TW6 2RQ', '2020-01');
    aggregator.addMalformed();
    expect(aggregator.devicesSeen).toBe(1);
    aggregator.reset();
    aggregator.addMalformed();
    aggregator.addDevice('N', 'L', 'Y', null, null);
    const { stats, rows } = aggregator.finish();
    expect(tuples([...rows])).toEqual([['N', 'L', 'Y', '', '', '1']]);
    expect(stats).toMatchObject({ devicesSeen: 1, devicesKept: 1, malformedRecords: 1, rows: 1 });
  });
});
