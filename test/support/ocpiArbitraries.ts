import fc from 'fast-check';
import type { JsonNode } from './jsonText';

/*
 * Generated open-data response bodies (JSON text models, see jsonText.ts) for the
 * property tests of the open-data transform: Locations with the fields the rules
 * read, mostly from each field's interesting values, sometimes junk; few distinct
 * ids, so duplicates are common.
 */

const raw = (...texts: string[]): fc.Arbitrary<JsonNode> =>
  fc.constantFrom(...texts).map((text) => ({ kind: 'raw' as const, text }));
const string = (values: fc.Arbitrary<string>): fc.Arbitrary<JsonNode & { kind: 'string' }> =>
  fc.record({
    kind: fc.constant('string' as const),
    value: values,
    escapeAll: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, fc.constant(true)),
  });
const strings = (...values: string[]) => string(fc.constantFrom(...values));

const literals = raw('true', 'false', 'null');
const numbers = raw(
  '0',
  '-0',
  '1',
  '5',
  '7.4',
  '22',
  '230',
  '32',
  '999',
  '1000',
  '7999',
  '8000',
  '49999',
  '50000',
  '149999',
  '150000',
  '1.5',
  '-3',
  '1e3',
  '1e400',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
);
const anyText = string(
  fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('', ' ', '\u0000', 'é', '\ud800', 'a,b', '"q"', '\n')),
);
export const { junk } = fc.letrec<{ junk: JsonNode }>((tie) => ({
  junk: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literals,
    numbers,
    anyText,
    fc.array(tie('junk'), { maxLength: 2 }).map((items): JsonNode => ({ kind: 'array', items })),
    fc
      .array(fc.tuple(string(fc.string({ maxLength: 4 })), tie('junk')), { maxLength: 2 })
      .map((entries): JsonNode => ({ kind: 'object', entries })),
  ),
}));

/** A value for a field: mostly from the field's interesting values, sometimes anything. */
const field = (key: string, ...values: fc.Arbitrary<JsonNode>[]) =>
  fc.tuple(string(fc.constant(key)), fc.oneof({ weight: 4, arbitrary: fc.oneof(...values) }, junk));
/** An object holding each field three times in four, then up to `extra` more of them again (repeated keys) or junk keys. */
const object = (
  extra: number,
  ...fields: fc.Arbitrary<[JsonNode & { kind: 'string' }, JsonNode]>[]
): fc.Arbitrary<JsonNode> =>
  fc
    .tuple(
      fc.tuple(...fields.map((entry) => fc.option(entry, { freq: 3, nil: undefined }))),
      fc.array(fc.oneof(...fields, fc.tuple(string(fc.string({ maxLength: 4 })), junk)), { maxLength: extra }),
    )
    .map(([present, more]): JsonNode => ({
      kind: 'object',
      entries: [...present.filter((entry) => entry !== undefined), ...more],
    }));
const array = (element: fc.Arbitrary<JsonNode>, maxLength: number): fc.Arbitrary<JsonNode> =>
  fc
    .array(fc.oneof({ weight: 6, arbitrary: element }, junk), { maxLength })
    .map((items): JsonNode => ({ kind: 'array', items }));

const numberText = strings(' 7.4 ', '22000', '50 ', '-5', '1e3', '230', ' 32', '3.', '', '150000');
const connector = object(
  1,
  field('standard', strings('CHADEMO', ' iec_62196_t2 ', 'IEC_62196_T2_COMBO', '', 'Z', '_A'), numbers),
  field('max_electric_power', numbers, numberText, literals),
  field('max_voltage', raw('230', '400', '0', '-3'), numberText),
  field('max_amperage', raw('32', '16', '125', '0'), numberText),
  field('power_type', strings('AC_1_PHASE', ' ac_3_phase ', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'DC')),
);
const month = strings('2026-10-01T00:00:00Z', '2026-03', '2026-1', 'x2026-10', '');
const evse = object(
  1,
  field('uid', strings('E1', '1', ''), raw('1', '1.5', '9007199254740993')),
  field('status', strings('AVAILABLE', ' removed ', 'REMOVED', 'WORKING')),
  field('last_updated', month),
  field('connectors', array(connector, 3)),
);
export const location = object(
  2,
  field('id', strings('L1', '1', ''), raw('1', '-0', '9007199254740992')),
  field('country_code', strings('GB', '')),
  field('party_id', strings('ABC')),
  field('country', strings('GBR', ' gb ', 'FRA', '', ' ')),
  field('publish', literals, strings('false')),
  field('operator', object(1, field('name', strings(' Op ', '', 'Other', 'a,"b"')))),
  field('parking_type', strings('ON_STREET', ' parking_lot ', 'STREET', '')),
  field('postal_code', strings('tw62rq', 'TW6 2RQ', ' sw1a  1aa ', 'n/a', '', '  ')),
  field('last_updated', month),
  field('evses', array(evse, 4)),
);
const locations = array(location, 5);

const key = (name: string) => string(fc.constant(name));
/** The Location array in one of the places "Fetching a feed" reads. */
const locationArrayEntry = fc.oneof(
  fc.tuple(key('data'), locations),
  fc.tuple(key('locations'), locations),
  locations.map((array): [JsonNode & { kind: 'string' }, JsonNode] => [
    { kind: 'string', value: 'data', escapeAll: false },
    {
      kind: 'object',
      entries: [
        [
          { kind: 'string', value: 'locations', escapeAll: false },
          { kind: 'object', entries: [[{ kind: 'string', value: 'data', escapeAll: false }, array]] },
        ],
      ],
    },
  ]),
  locations.map((array): [JsonNode & { kind: 'string' }, JsonNode] => [
    { kind: 'string', value: 'data', escapeAll: false },
    { kind: 'object', entries: [[{ kind: 'string', value: 'locations', escapeAll: false }, array]] },
  ]),
);
/** Other top-level entries, some of them competing candidates or repeated keys. */
const otherEntry = fc.oneof(
  field(
    'data',
    locations,
    object(1, field('locations', locations, object(1, field('data', locations))), field('tariffs', junk)),
  ),
  field('locations', locations),
  fc.tuple(
    key('status_code'),
    fc.oneof({ weight: 8, arbitrary: raw('1000') }, raw('1999', '2001', '999', '1500.5'), strings('3000')),
  ),
  field('status_message', strings('Success', 'Invalid')),
  fc.tuple(string(fc.constantFrom('meta', 'timestamp', 'dat', 'Data')), junk),
);

/** One body: mostly a Location array in one of the shapes read, among other top-level entries. */
export const body: fc.Arbitrary<JsonNode> = fc.oneof(
  { weight: 3, arbitrary: locations },
  {
    weight: 12,
    arbitrary: fc
      .tuple(fc.array(otherEntry, { maxLength: 2 }), locationArrayEntry, fc.array(otherEntry, { maxLength: 2 }))
      .map(([before, main, after]): JsonNode => ({ kind: 'object', entries: [...before, main, ...after] })),
  },
  junk,
);

export const feeds = fc.array(
  fc.record({
    name: fc.constantFrom('Feed', ' spaced ', '', 'z,"q"'),
    bodies: fc.array(body, { minLength: 1, maxLength: 2 }),
  }),
  {
    minLength: 1,
    maxLength: 3,
  },
);
export const whitespace = fc.array(fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  '), {
  minLength: 1,
  maxLength: 6,
});
export const chunkSizes = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 });
export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
