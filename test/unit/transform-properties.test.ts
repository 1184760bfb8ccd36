import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError, TruncatedPayloadError } from '../../src/domain/errors';
import { DeviceAggregator, type ChargerModelRow } from '../../src/transform/aggregate';
import { referenceTransform } from '../../src/transform/reference';
import { deviceText, MAX_FIELD_BYTES, monthUpdated, normalizePostcode } from '../../src/transform/rules';
import { serializeJson, type JsonNode } from '../support/jsonText';
import { runPipeline, scanBytes, splitBytes, type TransformOutput } from './transform-helpers';

const WEIRD_TEXTS = [
  'Pod Point',
  ' Rolec ',
  '',
  '   ',
  'a,b',
  'say "hi"',
  'line\nbreak',
  'cr\rlf',
  'Café',
  '😀',
  '\u0000',
  '\ud800',
  '\udfff x',
  'TW6 2RQ',
  'tw62rq',
  ' TW6  2RQ ',
  'TW6\u00a02RQ',
  'sw1a 1aa',
  '2020-01-02 10:00',
  '2020-13',
  'n/a',
  '"ChargeDevice":[',
  '\\',
];
const loneSurrogateUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const postcodeLike = fc
  .tuple(
    fc.stringMatching(/^[a-zA-Z]{1,2}[0-9][a-zA-Z0-9]?$/),
    fc.constantFrom('', ' ', '  ', '\u00a0', '\t'),
    fc.stringMatching(/^[0-9][a-zA-Z]{2}$/),
  )
  .map(([outward, space, inward]) => outward + space + inward);
const dateLike = fc.stringMatching(/^\d{4}-\d{2}[-0-9 :]{0,9}$/);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WEIRD_TEXTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: loneSurrogateUnit, maxLength: 4 }) },
  { weight: 2, arbitrary: postcodeLike },
  { weight: 2, arbitrary: dateLike },
);

/** Values just under, at and just over MAX_FIELD_BYTES of UTF-8, in characters of one to four bytes (a lone surrogate counts three). */
const longText = fc
  .constantFrom<[string, number]>(['A', 1], ['é', 2], ['😀', 4], ['\ud800', 3])
  .chain(([unit, bytes]) =>
    fc.constantFrom(-1, 0, 1).map((delta) => unit.repeat(Math.floor(MAX_FIELD_BYTES / bytes) + delta)),
  );
/** What the transform reads: now and then a value around the length at which a device is skipped as oversized. */
const fieldText = fc.oneof({ weight: 16, arbitrary: text }, { weight: 1, arbitrary: longText });

const stringNode = (value: fc.Arbitrary<string>): fc.Arbitrary<JsonNode & { kind: 'string' }> =>
  fc.record({
    kind: fc.constant('string' as const),
    value,
    escapeAll: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, fc.constant(true)),
  });

const numberNode: fc.Arbitrary<JsonNode> = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,22}$/)),
    fc.option(fc.stringMatching(/^\.[0-9]{1,6}$/), { nil: '' }),
    fc.option(fc.stringMatching(/^[eE][+-]?[0-9]{1,3}$/), { nil: '' }),
  )
  .map((parts) => ({ kind: 'raw' as const, text: parts.join('') }));

const literalNode: fc.Arbitrary<JsonNode> = fc
  .constantFrom('null', 'true', 'false')
  .map((literal) => ({ kind: 'raw' as const, text: literal }));

const KNOWN_KEYS = [
  'ChargeDevice',
  'ChargeDeviceModel',
  'ChargeDeviceManufacturer',
  'LocationType',
  'DateUpdated',
  'ChargeDeviceLocation',
  'Address',
  'PostCode',
  'Scheme',
];
const keyNode = stringNode(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 6 })));

const { junk } = fc.letrec<{ junk: JsonNode }>((tie) => ({
  junk: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literalNode,
    numberNode,
    stringNode(text),
    fc.array(tie('junk'), { maxLength: 3 }).map((items): JsonNode => ({ kind: 'array', items })),
    fc
      .array(fc.tuple(keyNode, tie('junk')), { maxLength: 3 })
      .map((entries): JsonNode => ({ kind: 'object', entries })),
  ),
}));

const entry = (key: fc.Arbitrary<string>, value: fc.Arbitrary<JsonNode>) => fc.tuple(stringNode(key), value);
const object = (
  entries: fc.Arbitrary<[JsonNode & { kind: 'string' }, JsonNode]>,
  maxLength: number,
): fc.Arbitrary<JsonNode> =>
  fc.array(entries, { maxLength }).map((items): JsonNode => ({ kind: 'object', entries: items }));

const textValue = fc.oneof({ weight: 6, arbitrary: stringNode(fieldText) }, numberNode, literalNode, junk);
const postcodeValue = fc.oneof({ weight: 3, arbitrary: stringNode(postcodeLike) }, textValue);
const address = fc.oneof(
  {
    weight: 5,
    arbitrary: object(
      fc.oneof(
        { weight: 3, arbitrary: entry(fc.constant('PostCode'), postcodeValue) },
        entry(fc.string({ maxLength: 4 }), junk),
      ),
      3,
    ),
  },
  junk,
);
const location = fc.oneof(
  {
    weight: 5,
    arbitrary: object(
      fc.oneof(
        { weight: 3, arbitrary: entry(fc.constant('Address'), address) },
        entry(fc.string({ maxLength: 4 }), junk),
      ),
      3,
    ),
  },
  junk,
);
const deviceNode = object(
  fc.oneof(
    { weight: 4, arbitrary: entry(fc.constant('ChargeDeviceModel'), textValue) },
    { weight: 2, arbitrary: entry(fc.constant('ChargeDeviceManufacturer'), textValue) },
    { weight: 2, arbitrary: entry(fc.constant('LocationType'), textValue) },
    {
      weight: 2,
      arbitrary: entry(fc.constant('DateUpdated'), fc.oneof({ weight: 2, arbitrary: stringNode(dateLike) }, textValue)),
    },
    { weight: 3, arbitrary: entry(fc.constant('ChargeDeviceLocation'), location) },
    { weight: 2, arbitrary: entry(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 6 })), junk) },
  ),
  9,
);
const devicesArray = fc
  .array(fc.oneof({ weight: 8, arbitrary: deviceNode }, junk), { maxLength: 8 })
  .map((items): JsonNode => ({ kind: 'array', items }));
const chargeDeviceEntry = entry(fc.constant('ChargeDevice'), fc.oneof({ weight: 12, arbitrary: devicesArray }, junk));
const topLevelEntry = fc.oneof(
  chargeDeviceEntry,
  entry(fc.constant('Scheme'), junk),
  entry(fc.string({ maxLength: 6 }), junk),
);

/** Mostly registry payloads: one ChargeDevice entry, others (including duplicates) around it in any order. */
const registryDocument: fc.Arbitrary<JsonNode> = fc
  .tuple(
    fc.array(topLevelEntry, { maxLength: 3 }),
    fc.option(chargeDeviceEntry, { freq: 12, nil: undefined }),
    fc.array(topLevelEntry, { maxLength: 2 }),
  )
  .map(([before, main, after]): JsonNode => ({
    kind: 'object',
    entries: [...before, ...(main ? [main] : []), ...after],
  }));

const whitespace = fc.array(fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ', '   '), {
  minLength: 1,
  maxLength: 8,
});
// Small pieces split every token; large ones and the whole document put devices wholly in one chunk, where the
// scanner reads them with its fast path (ncrDeviceFastPath.ts).
const chunkSizes = fc.oneof(
  fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
  fc.array(fc.integer({ min: 41, max: 2048 }), { minLength: 1, maxLength: 4 }),
  fc.constant([Number.MAX_SAFE_INTEGER]),
);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function encode(document: JsonNode, spaces: readonly string[], withBom: boolean): Buffer {
  const json = Buffer.from(serializeJson(document, spaces), 'utf8');
  return withBom ? Buffer.concat([BOM, json]) : json;
}

type Outcome = { result: TransformOutput } | { error: string };

function outcomeOf(run: () => TransformOutput): Outcome {
  try {
    return { result: run() };
  } catch (error) {
    if (error instanceof PayloadError || error instanceof TruncatedPayloadError)
      return { error: error.constructor.name };
    throw error;
  }
}

const referenceOutcome = (bytes: Buffer): Outcome => outcomeOf(() => referenceTransform(bytes.toString('utf8')));

describe('streaming transform against the JSON.parse reference', () => {
  it('produces byte-identical CSV and equal stats for generated payloads, however they are chunked', () => {
    fc.assert(
      fc.property(registryDocument, whitespace, fc.boolean(), chunkSizes, (document, spaces, withBom, sizes) => {
        const bytes = encode(document, spaces, withBom);
        expect(outcomeOf(() => scanBytes(bytes, sizes))).toEqual(referenceOutcome(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees through the whole pipeline, plain or gzip', async () => {
    await fc.assert(
      fc.asyncProperty(
        registryDocument,
        whitespace,
        fc.boolean(),
        fc.boolean(),
        chunkSizes,
        async (document, spaces, withBom, gzip, sizes) => {
          const bytes = encode(document, spaces, withBom);
          const input = gzip ? gzipSync(bytes) : bytes;
          const streamed = await runPipeline(splitBytes(input, sizes)).then(
            (result): Outcome => ({ result }),
            (error: unknown): Outcome => {
              if (error instanceof PayloadError) return { error: error.constructor.name };
              throw error;
            },
          );
          // The CSV is UTF-8 on the wire, where a lone surrogate can only be written as U+FFFD.
          const reference = referenceOutcome(bytes);
          if ('result' in reference) reference.result.csv = Buffer.from(reference.result.csv, 'utf8').toString('utf8');
          expect(streamed).toEqual(reference);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('fails exactly when JSON.parse fails after a truncation or a corrupted, deleted or inserted byte', () => {
    const interestingBytes = [...'"\\{}[]:,. \n0-1eEtfnu/x']
      .map((char) => char.charCodeAt(0))
      .concat([0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xef, 0xff]);
    const byte = fc.oneof(fc.constantFrom(...interestingBytes), fc.integer({ min: 0, max: 255 }));
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte }),
    );
    fc.assert(
      fc.property(
        registryDocument,
        whitespace,
        fc.boolean(),
        mutation,
        chunkSizes,
        (document, spaces, withBom, change, sizes) => {
          const valid = encode(document, spaces, withBom);
          const at = change.at % (valid.length + 1);
          const mutated =
            change.kind === 'truncate'
              ? valid.subarray(0, at)
              : change.kind === 'delete'
                ? Buffer.concat([valid.subarray(0, at), valid.subarray(at + 1)])
                : change.kind === 'insert'
                  ? Buffer.concat([valid.subarray(0, at), Buffer.from([change.byte]), valid.subarray(at)])
                  : Buffer.concat([valid.subarray(0, at), Buffer.from([change.byte]), valid.subarray(at + 1)]);
          const text = mutated.toString('utf8');
          let parses = true;
          try {
            JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
          } catch {
            parses = false;
          }
          if (parses) {
            expect(outcomeOf(() => scanBytes(mutated, sizes))).toEqual(referenceOutcome(mutated));
            return;
          }
          let thrown: unknown;
          try {
            scanBytes(mutated, sizes);
          } catch (error) {
            thrown = error;
          }
          expect(thrown instanceof PayloadError || thrown instanceof TruncatedPayloadError, String(thrown)).toBe(true);
          const byteOffset = (thrown as PayloadError).details.byteOffset;
          expect(byteOffset).toBeGreaterThanOrEqual(0);
          expect(byteOffset).toBeLessThanOrEqual(mutated.length);
          if (change.kind === 'truncate') expect(thrown).toBeInstanceOf(TruncatedPayloadError);
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('aggregation order', () => {
  it('matches counting tuples and sorting them field by field with <', () => {
    const value = fc.oneof(text, fc.constant(null), fc.double(), fc.constantFrom('', 'A', 'a', 'B'));
    const devices = fc.array(fc.tuple(value, value, value, value, value), { maxLength: 60 });
    fc.assert(
      fc.property(devices, (fields) => {
        const aggregator = new DeviceAggregator();
        for (const device of fields) aggregator.addDevice(...device);
        const rows = [...aggregator.finish().rows];

        const counts = new Map<string, number>();
        for (const [manufacturer, locationType, model, postcode, dateUpdated] of fields) {
          const modelText = deviceText(model);
          if (modelText === '') continue;
          const key = JSON.stringify([
            deviceText(manufacturer),
            deviceText(locationType),
            modelText,
            normalizePostcode(postcode).text,
            monthUpdated(dateUpdated),
          ]);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        const compare = (a: string[], b: string[]): number => {
          for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
          return 0;
        };
        const expected = [...counts]
          .map(
            ([key, count]) =>
              [...(JSON.parse(key) as string[]), count] as [string, string, string, string, string, number],
          )
          .sort((a, b) => compare(a.slice(0, 5) as string[], b.slice(0, 5) as string[]));
        const actual = rows.map((row: ChargerModelRow) => [
          row.manufacturer,
          row.locationType,
          row.model,
          row.postcode,
          row.month,
          row.count,
        ]);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
