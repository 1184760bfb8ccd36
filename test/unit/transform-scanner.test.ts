import { describe, expect, it } from 'vitest';
import { PayloadError, TruncatedPayloadError } from '../../src/domain/errors';
import { emptyStats } from '../../src/domain/stats';
import { referenceTransform } from '../../src/transform/reference';
import { MAX_FIELD_BYTES } from '../../src/transform/rules';
import {
  CSV_HEADER,
  SAMPLE_BYTES,
  SAMPLE_CSV,
  device,
  registryJson,
  scanBytes,
  splitBytes,
  scanPieces,
  thrownBy,
  type TransformOutput,
} from './transform-helpers';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Scans whole, byte by byte and in uneven pieces; all must agree with each other and with the reference. */
function scanEverySplit(json: string | Buffer): TransformOutput {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  const whole = scanBytes(bytes);
  expect(scanBytes(bytes, 1)).toEqual(whole);
  expect(scanBytes(bytes, [3, 1, 7, 2, 64, 5])).toEqual(whole);
  expect(whole).toEqual(referenceTransform(bytes.toString('utf8')));
  return whole;
}

function csvOf(...lines: string[]): string {
  return CSV_HEADER + lines.map((line) => `${line}\n`).join('');
}

function payloadErrorOf(json: string | Buffer, sizes?: number): PayloadError {
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  const error = thrownBy(() => scanBytes(bytes, sizes));
  expect(error).toBeInstanceOf(PayloadError);
  return error as PayloadError;
}

describe('NcrScanner on the public sample', () => {
  it('produces the contract CSV and stats whatever the chunking', () => {
    const result = scanEverySplit(SAMPLE_BYTES);
    expect(result.csv).toBe(SAMPLE_CSV);
    expect(result.stats).toEqual({ ...emptyStats(), devicesSeen: 5, devicesKept: 3, droppedNoModel: 2, rows: 3 });
  });

  it('gives identical results for random chunk sizes', () => {
    const expected = scanBytes(SAMPLE_BYTES);
    let seed = 7;
    for (let round = 0; round < 50; round++) {
      const sizes = Array.from({ length: 20 }, () => {
        seed = (seed * 48271) % 2147483647;
        return 1 + (seed % 97);
      });
      expect(scanPieces(splitBytes(SAMPLE_BYTES, sizes))).toEqual(expected);
    }
  });

  it('strips a UTF-8 byte order mark, even one split across chunks', () => {
    const withBom = Buffer.concat([BOM, SAMPLE_BYTES]);
    expect(scanBytes(withBom).csv).toBe(SAMPLE_CSV);
    expect(scanBytes(withBom, 1).csv).toBe(SAMPLE_CSV);
    expect(scanBytes(withBom, 2).csv).toBe(SAMPLE_CSV);
  });
});

describe('NcrScanner key handling', () => {
  it('reads a Scheme that follows the array', () => {
    const json = `{"ChargeDevice":[${JSON.stringify(device({ model: 'X', manufacturer: 'M' }))}],"Scheme":{"SchemeCode":"NA"}}`;
    expect(scanEverySplit(json).csv).toBe(csvOf('M,,X,,,1'));
  });

  it('ignores "ChargeDevice":[ inside a Scheme string and ChargeDevice keys below the top level', () => {
    const json = JSON.stringify({
      Scheme: {
        SchemeCode: '"ChargeDevice":[{"ChargeDeviceModel":"Fake"}]',
        Nested: { ChargeDevice: [{ ChargeDeviceModel: 'Fake' }] },
      },
      ChargeDevice: [device({ model: 'Real' })],
    });
    expect(scanEverySplit(json).csv).toBe(csvOf(',,Real,,,1'));
  });

  it('reads only top-level device keys, not the same names in nested objects', () => {
    const json = registryJson([
      {
        ChargeDeviceModel: 'Top',
        DeviceOwner: { ChargeDeviceModel: 'Nested', LocationType: 'Nested', PostCode: 'TW6 2RQ' },
        Connector: [{ ChargeDeviceManufacturer: 'Nested', DateUpdated: '1999-01' }],
        Address: { PostCode: 'TW6 2RQ' },
        ChargeDeviceLocation: { PostCode: 'TW6 2RQ', Other: { Address: { PostCode: 'TW6 2RQ' } } },
      },
    ]);
    expect(scanEverySplit(json).csv).toBe(csvOf(',,Top,,,1'));
  });

  it('lets the last duplicate key win inside a device', () => {
    const json =
      '{"ChargeDevice":[' +
      '{"ChargeDeviceModel":"First","ChargeDeviceModel":null},' +
      '{"ChargeDeviceModel":null,"ChargeDeviceModel":"Second","DateUpdated":"2020-01-01","DateUpdated":7},' +
      '{"ChargeDeviceModel":"Third","LocationType":"A","LocationType":"B","ChargeDeviceManufacturer":{"x":1},"ChargeDeviceManufacturer":"Y"}' +
      ']}';
    const result = scanEverySplit(json);
    expect(result.csv).toBe(csvOf(',,Second,,,1', 'Y,B,Third,,,1'));
    expect(result.stats).toMatchObject({ devicesSeen: 3, devicesKept: 2, droppedNoModel: 1, monthMissing: 2 });
  });

  it('lets a second ChargeDeviceLocation or Address replace the first entirely', () => {
    const json =
      '{"ChargeDevice":[' +
      '{"ChargeDeviceModel":"A","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"}},"ChargeDeviceLocation":{"Latitude":"1"}},' +
      '{"ChargeDeviceModel":"B","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"}},"ChargeDeviceLocation":null},' +
      '{"ChargeDeviceModel":"C","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"},"Address":{"PostTown":"x"}}},' +
      '{"ChargeDeviceModel":"D","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"},"Address":[{"PostCode":"TW6 2RQ"}]}},' +
      '{"ChargeDeviceModel":"E","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ","PostCode":"sw1a1aa"}}},' +
      '{"ChargeDeviceModel":"F","ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ","PostCode":12}}},' +
      '{"ChargeDeviceModel":"G","ChargeDeviceLocation":{"Address":{"PostCode":"x"}},"ChargeDeviceLocation":{"Address":{"PostCode":"TW6 2RQ"}}}' +
      ']}';
    expect(scanEverySplit(json).csv).toBe(
      csvOf(',,A,,,1', ',,B,,,1', ',,C,,,1', ',,D,,,1', ',,E,SW1A 1AA,,1', ',,F,,,1', ',,G,TW6 2RQ,,1'),
    );
  });

  it('lets a second top-level ChargeDevice key replace the first array, counts included', () => {
    const first = [device({ model: 'Old' }), null, device({ model: '' })];
    const second = [device({ model: 'New', postcode: 'tw62rq' })];
    const json = `{"ChargeDevice":${JSON.stringify(first)},"Scheme":{},"ChargeDevice":${JSON.stringify(second)}}`;
    const result = scanEverySplit(json);
    expect(result.csv).toBe(csvOf(',,New,TW6 2RQ,,1'));
    expect(result.stats).toEqual({
      ...emptyStats(),
      devicesSeen: 1,
      devicesKept: 1,
      postcodeNormalized: 1,
      monthMissing: 1,
      rows: 1,
    });
  });

  it('accepts an array after a non-array ChargeDevice, but not the other way round', () => {
    expect(scanEverySplit(`{"ChargeDevice":5,"ChargeDevice":[${JSON.stringify(device({ model: 'X' }))}]}`).csv).toBe(
      csvOf(',,X,,,1'),
    );
    const error = payloadErrorOf(
      `{"ChargeDevice":[${JSON.stringify(device({ model: 'X' }))}],"ChargeDevice":{"a":[]}}`,
    );
    expect(error.message).toBe('not a registry payload: ChargeDevice is an object, expected an array');
  });

  it('recognises keys written with escapes', () => {
    const json =
      '{"Charge\\u0044evice":[{"ChargeDevice\\u004dodel":"X","\\u004cocationType":"L","ChargeDeviceLocation":{"Addr\\u0065ss":{"Post\\u0043ode":"tw62rq"}}}]}';
    expect(scanEverySplit(json).csv).toBe(csvOf(',L,X,TW6 2RQ,,1'));
  });

  it('skips keys too long to be known keys, whatever the chunking', () => {
    const long = `ChargeDevice${'x'.repeat(500)}`;
    const json = `{"${long}":[{"ChargeDeviceModel":"Fake"}],"ChargeDevice":[{"ChargeDeviceModel":"Real","${`ChargeDeviceModel${'y'.repeat(300)}`}":"Fake"}]}`;
    expect(scanEverySplit(json).csv).toBe(csvOf(',,Real,,,1'));
  });
});

describe('NcrScanner values', () => {
  it('counts non-object array elements as malformed', () => {
    const json =
      '{"ChargeDevice":[null,1,-2.5e3,"x",[],[{"ChargeDeviceModel":"X"}],true,false,{"ChargeDeviceModel":"Y"}]}';
    const result = scanEverySplit(json);
    expect(result.csv).toBe(csvOf(',,Y,,,1'));
    expect(result.stats).toMatchObject({ devicesSeen: 1, devicesKept: 1, malformedRecords: 8 });
  });

  it('prints numeric text fields as JSON.parse numbers and ignores numeric postcodes and dates', () => {
    const json =
      '{"ChargeDevice":[{"ChargeDeviceModel":1e2,"ChargeDeviceManufacturer":1.50,"LocationType":-0,"DateUpdated":2020,"ChargeDeviceLocation":{"Address":{"PostCode":12345}}},{"ChargeDeviceModel":0.000001e-300,"LocationType":-12.5E+3}]}';
    const result = scanEverySplit(json);
    expect(result.csv).toBe(csvOf(',-12500,1e-306,,,1', '1.5,0,100,,,1'));
    expect(result.stats).toMatchObject({ postcodeMissing: 2, monthMissing: 2 });
  });

  it('decodes escapes, surrogate pairs and lone surrogates as JSON.parse does', () => {
    const json =
      '{"ChargeDevice":[{"ChargeDeviceModel":"Tab\\there \\"q\\" \\\\ \\/ \\b\\f\\n\\r \\u00e9 \\ud83d\\ude00 \\ud800 end",' +
      '"ChargeDeviceManufacturer":"\\u0041\\u0042\\u0043","LocationType":"\\uDBFF\\uDFFF"}]}';
    const result = scanEverySplit(json);
    const model = JSON.parse(json).ChargeDevice[0].ChargeDeviceModel.trim() as string;
    expect(result.csv).toContain(`ABC,\udbff\udfff,"${model.replace(/"/g, '""')}"`);
  });

  it('keeps non-ASCII text intact across chunk boundaries', () => {
    const json = registryJson([
      device({ model: 'Café Ünïcode 日本 😀', manufacturer: 'Ελληνικά', locationType: 'ق', postcode: 'ｔｗ6' }),
    ]);
    expect(scanEverySplit(json).csv).toBe(
      csvOf('Ελληνικά,ق,Café Ünïcode 日本 😀,Ｔｗ6,,1'.replace('Ｔｗ6', 'ｔｗ6'.toUpperCase())),
    );
  });

  it('replaces invalid UTF-8 inside strings with U+FFFD, like decoding then JSON.parse', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"ChargeDevice":[{"ChargeDeviceModel":"a'),
      Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from('","ChargeDeviceManufacturer":"'),
      Buffer.from([0xf0, 0x9f, 0x98]),
      Buffer.from('"}]}'),
    ]);
    const result = scanEverySplit(bytes);
    expect(result.csv).toBe(csvOf('\ufffd,,a\ufffd\ufffd(\ufffd,,,1'));
  });

  it('validates deeply nested junk', () => {
    const deep = '['.repeat(300) + '{"a":[1,{"b":null}]}' + ']'.repeat(300);
    expect(scanEverySplit(`{"ChargeDevice":[{"ChargeDeviceModel":"X","Junk":${deep}}],"Scheme":${deep}}`).csv).toBe(
      csvOf(',,X,,,1'),
    );
  });

  it('accepts every kind of JSON whitespace between tokens', () => {
    const json = ' \t\r\n{ "ChargeDevice" :\n[ {\t"ChargeDeviceModel"\r:\n"X" , "n" : [ 1 , true , null ] } ] }\n\r\t ';
    expect(scanEverySplit(json).csv).toBe(csvOf(',,X,,,1'));
  });

  it('handles an empty array and empty devices', () => {
    expect(scanEverySplit('{"ChargeDevice":[]}')).toEqual({ csv: CSV_HEADER, stats: emptyStats() });
    expect(scanEverySplit('{"ChargeDevice":[{},{}]}').stats).toMatchObject({
      devicesSeen: 2,
      droppedNoModel: 2,
      rows: 0,
    });
  });
});

describe('NcrScanner errors', () => {
  it.each([
    ['{"ChargeDevice":[}', 17, "expected a value or ']', found '}'"],
    ['{"ChargeDevice":[1,]}', 19, "expected a value, found ']'"],
    ['{"ChargeDevice":[] x', 19, "expected ',' or '}', found 'x'"],
    ['{"ChargeDevice":[]} x', 20, "expected only whitespace after the JSON document, found 'x'"],
    ['{"ChargeDevice":[]}{}', 19, "expected only whitespace after the JSON document, found '{'"],
    ['{"ChargeDevice":[01]}', 18, "expected ',' or ']', found '1'"],
    ['{"ChargeDevice":[1.]}', 19, "expected a digit after '.', found ']'"],
    ['{"ChargeDevice":[-]}', 18, "expected a digit after '-', found ']'"],
    ['{"ChargeDevice":[1e]}', 19, "expected a sign or digit in the exponent, found ']'"],
    ['{"ChargeDevice":[+1]}', 17, "expected a value or ']', found '+'"],
    ['{"ChargeDevice":[nul]}', 20, "expected 'l' of null, found ']'"],
    ['{"ChargeDevice":[True]}', 17, "expected a value or ']', found 'T'"],
    ['{"ChargeDevice":["a\\x"]}', 20, 'expected an escape sequence'],
    ['{"ChargeDevice":["\\u12G4"]}', 22, 'expected a hexadecimal digit in a \\u escape'],
    [
      '{"ChargeDevice":["tab\there"]}',
      21,
      'expected control characters to be escaped inside a string, found byte 0x09',
    ],
    ['{"ChargeDevice" []}', 16, "expected ':' after a key, found '['"],
    ['{"ChargeDevice":[],}', 19, "expected '\"' starting a key, found '}'"],
    ["{'ChargeDevice':[]}", 1, "expected '\"' starting a key or '}', found '''"],
    ['{"ChargeDevice":[}]', 17, "expected a value or ']', found '}'"],
    ['{"ChargeDevice":[{]}', 18, "expected '\"' starting a key or '}', found ']'"],
    ['{"ChargeDevice":[{"a":1]}', 23, "expected ',' or '}', found ']'"],
    ['\u00a0{"ChargeDevice":[]}', 0, 'expected a JSON object, found byte 0xc2'],
  ])('rejects %j at byte %i', (json, byteOffset, expected) => {
    const error = payloadErrorOf(json);
    expect(error).not.toBeInstanceOf(TruncatedPayloadError);
    expect(error.details.byteOffset).toBe(byteOffset);
    expect(error.message).toContain(`invalid JSON at byte ${byteOffset}: ${expected}`);
    // The same error however the input is split.
    expect((payloadErrorOf(json, 1) as Error).message).toBe(error.message);
    expect(() => JSON.parse(json)).toThrow(SyntaxError);
  });

  it('counts offsets in bytes, including the byte order mark and multi-byte characters', () => {
    const bytes = Buffer.concat([BOM, Buffer.from('{"Scheme":"é😀","ChargeDevice":[?]}')]);
    const error = payloadErrorOf(bytes);
    expect(error.details.byteOffset).toBe(bytes.indexOf('?'));
    expect(error.message).toContain(`byte ${bytes.indexOf('?')}`);
  });

  it('rejects bytes that are not JSON outside strings, including a broken byte order mark', () => {
    expect(payloadErrorOf(Buffer.from([0xef, 0xbb, 0x7b, 0x7d])).message).toContain(
      "invalid JSON at byte 2: expected byte 0xbf completing the UTF-8 byte order mark, found '{'",
    );
    expect(payloadErrorOf(Buffer.concat([BOM, BOM, Buffer.from('{}')])).details.byteOffset).toBe(3);
    expect(payloadErrorOf(Buffer.from([0x7b, 0xff, 0x7d])).details.byteOffset).toBe(1);
  });

  it('reports a document that is not an object as not a registry payload', () => {
    for (const [json, kind] of [
      ['[]', 'an array'],
      [' "text"', 'a string'],
      ['5', 'a number'],
      ['-1', 'a number'],
      ['null', 'null'],
      ['true', 'true'],
    ]) {
      const error = payloadErrorOf(json);
      expect(error.message).toBe(`not a registry payload: the document is ${kind}, expected an object`);
    }
  });

  it('names the top-level keys it found when there is no ChargeDevice key', () => {
    expect(payloadErrorOf('{"Scheme":{"ChargeDevice":[]},"chargeDevice":[]}').message).toBe(
      'not a registry payload: no top-level ChargeDevice key (found keys "Scheme", "chargeDevice")',
    );
    expect(payloadErrorOf('{}').message).toBe('not a registry payload: no top-level ChargeDevice key (found no keys)');
  });

  it.each([
    ['{"ChargeDevice":{}}', 'an object'],
    ['{"ChargeDevice":"[]"}', 'a string'],
    ['{"ChargeDevice":null}', 'null'],
    ['{"ChargeDevice":false}', 'false'],
    ['{"ChargeDevice":0}', 'a number'],
  ])('rejects %j whose ChargeDevice is %s', (json, kind) => {
    expect(payloadErrorOf(json).message).toBe(`not a registry payload: ChargeDevice is ${kind}, expected an array`);
  });

  it('reports every proper prefix of the sample as truncated at its length', () => {
    const complete = SAMPLE_BYTES.length;
    for (let length = 0; length < complete; length += length < 200 ? 1 : 37) {
      const prefix = SAMPLE_BYTES.subarray(0, length);
      const error = thrownBy(() => scanBytes(prefix, 13));
      expect(error, `prefix of ${length} bytes`).toBeInstanceOf(TruncatedPayloadError);
      expect((error as TruncatedPayloadError).details.byteOffset).toBe(length);
    }
    expect(thrownBy(() => scanBytes(Buffer.from('{"ChargeDevice":[]')))).toBeInstanceOf(TruncatedPayloadError);
    expect(thrownBy(() => scanBytes(Buffer.from('{"ChargeDevice":["é').subarray(0, -1)))).toBeInstanceOf(
      TruncatedPayloadError,
    );
    expect(thrownBy(() => scanBytes(BOM.subarray(0, 2)))).toBeInstanceOf(TruncatedPayloadError);
  });

  it('names the offset and what was expected when the payload ends early', () => {
    const error = thrownBy(() => scanBytes(Buffer.from('{"ChargeDevice":[{"a":"b'))) as TruncatedPayloadError;
    expect(error.message).toBe('the payload ends early at byte 24: inside a string');
    expect((thrownBy(() => scanBytes(Buffer.alloc(0))) as Error).message).toBe(
      'the payload is empty: expected a JSON document',
    );
    expect((thrownBy(() => scanBytes(Buffer.from('  \n'))) as Error).message).toBe(
      'the payload ends early at byte 3: expected a JSON document',
    );
    expect((thrownBy(() => scanBytes(Buffer.from('{"ChargeDevice":[1'))) as Error).message).toBe(
      'the payload ends early at byte 18: inside a number',
    );
  });
});

describe('NcrScanner oversized values', () => {
  const atLimit = 'M'.repeat(MAX_FIELD_BYTES);
  const overLimit = 'M'.repeat(MAX_FIELD_BYTES + 1);
  const kept = device({ model: 'Kept', postcode: 'TW6 2RQ' });

  it('skips and counts a device whose read field is longer than MAX_FIELD_BYTES, in each field the transform reads', () => {
    for (const field of ['model', 'manufacturer', 'locationType', 'postcode', 'dateUpdated'] as const) {
      const json = registryJson([device({ model: 'M1', [field]: overLimit }), kept]);
      const result = scanEverySplit(json);
      expect(result.csv, field).toBe(csvOf(',,Kept,TW6 2RQ,,1'));
      expect(result.stats, field).toMatchObject({
        devicesSeen: 2,
        devicesKept: 1,
        oversizedRecords: 1,
        droppedNoModel: 0,
      });
    }
  });

  it('keeps a value of exactly MAX_FIELD_BYTES, counting UTF-8 bytes of the decoded text', () => {
    expect(scanEverySplit(registryJson([device({ model: atLimit })])).stats).toMatchObject({
      devicesKept: 1,
      oversizedRecords: 0,
    });
    // 2-byte characters: half as many fit.
    const twoByte = registryJson([
      device({ model: 'é'.repeat(MAX_FIELD_BYTES / 2) }),
      device({ model: 'é'.repeat(MAX_FIELD_BYTES / 2 + 1) }),
    ]);
    expect(scanEverySplit(twoByte).stats).toMatchObject({ devicesKept: 1, oversizedRecords: 1 });
    // Written with escapes the text is six times longer than it decodes to: the decoded length counts.
    const escaped = `{"ChargeDevice":[{"ChargeDeviceModel":"${'\\u0041'.repeat(MAX_FIELD_BYTES)}"},{"ChargeDeviceModel":"${'\\u0041'.repeat(MAX_FIELD_BYTES + 1)}"}]}`;
    expect(scanEverySplit(escaped).stats).toMatchObject({ devicesKept: 1, oversizedRecords: 1 });
  });

  it('counts a number written with more than MAX_FIELD_BYTES characters as oversized', () => {
    const json = `{"ChargeDevice":[{"ChargeDeviceModel":1${'0'.repeat(MAX_FIELD_BYTES)}},{"ChargeDeviceModel":0.${'5'.repeat(100)}}]}`;
    for (const sizes of [json.length, 1, 4096]) {
      expect(scanBytes(Buffer.from(json), sizes)).toEqual({
        csv: csvOf(',,0.5555555555555556,,,1'),
        stats: expect.objectContaining({ devicesKept: 1, oversizedRecords: 1 }),
      });
    }
  });

  it('lets a later duplicate key replace an oversized value, as JSON.parse does', () => {
    const json = `{"ChargeDevice":[{"ChargeDeviceModel":"${overLimit}","ChargeDeviceModel":"Short"}]}`;
    expect(scanEverySplit(json)).toMatchObject({ csv: csvOf(',,Short,,,1'), stats: { oversizedRecords: 0 } });
  });

  it('keeps a device whose long value is in a field the transform does not read', () => {
    const json = registryJson([
      { ...kept, ChargeDeviceName: 'N'.repeat(4 * MAX_FIELD_BYTES), Connector: [{ Note: overLimit }] },
    ]);
    expect(scanEverySplit(json)).toMatchObject({
      csv: csvOf(',,Kept,TW6 2RQ,,1'),
      stats: { devicesKept: 1, oversizedRecords: 0 },
    });
  });
});
