import { describe, expect, it } from 'vitest';
import { PayloadError, TruncatedPayloadError } from '../../src/domain/errors';
import { ChargePointAggregator } from '../../src/transform/ocpi/aggregate';
import { LocationScanner, MAX_ELEMENT_BYTES, type LocationSink } from '../../src/transform/ocpi/locationScanner';
import { PageReader } from '../../src/transform/ocpi/pipeline';
import { transformBody, transformFeeds } from './ocpi-helpers';

class CollectedLocations implements LocationSink {
  readonly locations: unknown[] = [];
  addLocation(location: unknown): void {
    this.locations.push(location);
  }
}

/** The elements of the Location array the scanner chose, the body written in pieces of `size` bytes. */
function scan(body: string | Buffer, size?: number): unknown[] {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const step = size ?? Math.max(bytes.length, 1);
  const scanner = new LocationScanner(() => new CollectedLocations());
  for (let start = 0; start < bytes.length; start += step) scanner.write(bytes.subarray(start, start + step));
  return scanner.end().locations;
}

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('finding the Location array', () => {
  it.each([
    ['the body itself', '["A", "B"]'],
    [
      'an OCPI envelope',
      '{"data": ["A", "B"], "status_code": 1000, "status_message": "Success", "timestamp": "2026-10-01T00:00:00Z"}',
    ],
    ['an envelope with name, message and error', '{"name": "x", "message": "ok", "data": ["A", "B"], "error": null}'],
    ['a bare locations key', '{"locations": ["A", "B"]}'],
    [
      'data.locations.data (locations and tariffs in one response)',
      '{"data": {"locations": {"data": ["A", "B"], "status_code": 1000}, "tariffs": {"data": [1, 2]}}}',
    ],
    ['data.locations', '{"data": {"tariffs": [1], "locations": ["A", "B"]}}'],
  ])('reads %s', (_shape, body) => {
    expect(scan(body)).toEqual(['A', 'B']);
  });

  it.each([
    ['data before locations', '{"locations": ["no"], "data": ["yes"]}'],
    ['locations before data.locations.data', '{"data": {"locations": {"data": ["no"]}}, "locations": ["yes"]}'],
    ['data.locations.data before data.locations', '{"data": {"locations": {"data": ["yes"]}}}'],
    ['the last of repeated keys, as JSON.parse', '{"data": ["no"], "data": {"locations": ["yes"]}}'],
    ['a repeated data dropping its data.locations', '{"data": {"locations": ["no"]}, "locations": ["yes"], "data": 1}'],
    ['a repeated data.locations', '{"data": {"locations": {"data": ["no"]}, "locations": ["yes"]}}'],
    ['escaped key names', '{"d\\u0061ta": ["yes"], "locations": ["no"]}'],
  ])('prefers %s', (_rule, body) => {
    expect(scan(body)).toEqual(['yes']);
  });

  it('ignores data and locations keys anywhere else', () => {
    expect(
      scan('{"meta": {"data": ["no"], "locations": ["no"]}, "data": [{"data": ["inner"], "locations": []}]}'),
    ).toEqual([{ data: ['inner'], locations: [] }]);
  });

  it('names the top-level keys found when there is no Location array', () => {
    const error = failure(() => scan('{"status_code": 1000, "items": [], "data": {"locations": {"count": 2}}}'));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error.message).toBe(
      'no Location array in the body: none of data, locations, data.locations.data or data.locations is an array (found keys "status_code", "items", "data")',
    );
    expect(failure(() => scan('{}')).message).toContain('(found no keys)');
  });

  it.each([
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
    ['true', 'true'],
  ])('rejects the body %s as %s', (body, kind) => {
    expect(failure(() => scan(body)).message).toBe(
      `no Location array: the body is ${kind}, expected an array or an object holding one`,
    );
  });
});

describe('status_code', () => {
  it.each([[1000], [1999], [1500.5], ['3000'], [null]])('accepts %j', (statusCode) => {
    expect(scan(JSON.stringify({ status_code: statusCode, data: ['A'] }))).toEqual(['A']);
  });

  it.each([[999], [2000], [2001], [3000], [-1], [0]])(
    'rejects %j with its status_message, wherever it stands',
    (statusCode) => {
      const error = failure(() =>
        scan(`{"data": [], "status_code": ${statusCode}, "status_message": "Invalid or missing parameters"}`),
      );
      expect(error).toBeInstanceOf(PayloadError);
      expect(error.message).toBe(`the feed answered OCPI status_code ${statusCode}: Invalid or missing parameters`);
    },
  );

  it('says when there is no status_message, and reads only the top level', () => {
    expect(failure(() => scan('{"status_code": 2000}')).message).toBe(
      'the feed answered OCPI status_code 2000 (no status_message)',
    );
    expect(scan('{"data": {"locations": {"status_code": 3000, "data": ["A"]}}}')).toEqual(['A']);
  });
});

describe('strict JSON, UTF-8', () => {
  it('accepts a UTF-8 byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('["A"]')]);
    expect(scan(body)).toEqual(['A']);
  });

  it('reads invalid UTF-8 inside strings as U+FFFD, as Node decodes it', () => {
    const body = Buffer.concat([
      Buffer.from('[{"operator": {"name": "Op'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"}, "evses": [{}]}]'),
    ]);
    for (const size of [1, 2, 3, 1000]) {
      expect(transformFeeds([{ name: 'F', bodies: [body] }], [size]).csv.split('\n')[1]).toBe(
        'Op\ufffd\ufffd,,,unknown,,,1',
      );
    }
  });

  it.each([
    ['NaN', '[{"x": NaN}]'],
    ['Infinity', '{"data": [], "meta": Infinity}'],
    ['-Infinity', '[-Infinity]'],
    ['a trailing comma', '{"data": [1,]}'],
    ['single quotes', "{'data': []}"],
    ['a comment', '{"data": []} // done'],
    ['a leading zero', '{"data": [], "n": 01}'],
    ['a raw control character', '{"data": ["a\tb"]}'],
    ['a bad escape', '{"data": ["\\x41"]}'],
    ['invalid UTF-8 outside strings', Buffer.from([0x5b, 0xff, 0x5d])],
    ['a second document', '[] []'],
    ['a lone BOM prefix', Buffer.from([0xef, 0xbb, 0x5b, 0x5d])],
  ])('rejects %s', (_what, body) => {
    const error = failure(() => scan(body));
    expect(error).toBeInstanceOf(PayloadError);
    expect(error.message).toMatch(/^invalid JSON at byte \d+: expected /);
    expect(() => JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : body) as unknown).toThrow();
  });

  it.each([[''], ['   '], ['{"data": ['], ['["A", "B'], ['[1'], ['{"data": [], "x": tru']])(
    'reports %j as truncated',
    (body) => {
      const error = failure(() => scan(body));
      expect(error).toBeInstanceOf(TruncatedPayloadError);
      expect((error as TruncatedPayloadError).details.byteOffset).toBe(Buffer.byteLength(body));
    },
  );

  it('gives every element the same value as JSON.parse of the whole body, split anywhere', () => {
    const elements = [{ a: [1, { b: 'x\\"]}' }], '\u00e9': null }, 'str"ing', -0.5e-3, true, null, [], {}, 12, 'é😀'];
    const body = Buffer.from(` \n{"data" :\t${JSON.stringify(elements, null, 1)} , "status_code":1000 }\r\n`);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(scan(body, size)).toEqual(elements);
  });
});

describe('bounded memory', () => {
  it(`fails the page when one Location is larger than ${MAX_ELEMENT_BYTES / 1024 / 1024} MiB, naming where it starts`, () => {
    const padding = 'x'.repeat(MAX_ELEMENT_BYTES);
    const body = Buffer.from(`{"data": [{"id": "small"}, {"pad": "${padding}"}]}`);
    for (const size of [body.length, 1 << 20]) {
      const error = failure(() => scan(body, size));
      expect(error).toBeInstanceOf(PayloadError);
      expect(error.message).toBe('a Location starting at byte 27 is larger than 16 MiB, the most one may be');
    }
  });

  it('adds nothing from a page that fails, however far it was read', () => {
    const aggregator = new ChargePointAggregator();
    const reader = new PageReader(aggregator, 'F');
    reader.write(Buffer.from('{"data": [{"evses": [{}]}], "status_code": 2001}'));
    expect(() => reader.end()).toThrow(PayloadError);
    expect(aggregator.finish().stats.locationsSeen).toBe(0);
  });

  it('counts only the chosen array of a body with several candidates', () => {
    const result = transformBody('{"locations": [{"evses": [{}]}, 1], "data": [{"evses": [{}, {}]}]}');
    expect(result.stats).toMatchObject({ locationsSeen: 1, evsesSeen: 2, malformedRecords: 0 });
  });
});
