import { describe, expect, it, vi } from 'vitest';
import { BAIL, DeviceFastPath, MORE } from '../../src/transform/ncrDeviceFastPath';
import { NCR_KEYS } from '../../src/transform/ncrFields';
import { OVERSIZED_VALUE } from '../../src/transform/rules';
import { SAMPLE_BYTES, SAMPLE_CSV, scanBytes } from './transform-helpers';

// Built from NCR_KEYS, which the WebAssembly's own copy of the key bytes must agree with.
const K = NCR_KEYS;
const DEVICE =
  `{"ChargeDeviceId":"a1","${K.location}":{"Latitude":"51.5","${K.address}":{"Street":"x","${K.postcode}":"rg1 2lu"}},` +
  `"${K.manufacturer}":"APT","${K.model}":12.5,"Connector":[{"RatedOutputkW":7,"Ok":true,"No":null}],` +
  `"${K.dateUpdated}":"2020-01-03 10:00:00","${K.locationType}":"Car park \\"A\\"","Flag":false}`;

function scanDevice(text: string, start = 0): { end: number; fast: DeviceFastPath } {
  const fast = new DeviceFastPath();
  return { end: fast.scan(Buffer.from(text), start), fast };
}

describe('the whole-device fast path', () => {
  it('reads the five fields of a device as the scanner would, and ends after its brace', () => {
    const { end, fast } = scanDevice(`${DEVICE},`);
    expect(end).toBe(Buffer.byteLength(DEVICE));
    expect([fast.manufacturer, fast.locationType, fast.model, fast.postcode, fast.dateUpdated]).toEqual([
      'APT',
      'Car park "A"',
      12.5,
      'rg1 2lu',
      '2020-01-03 10:00:00',
    ]);
  });

  it('gives absent fields as undefined, non-strings as null, and forgets the postcode of a replaced location', () => {
    const { end, fast } = scanDevice(
      '{"ChargeDeviceLocation":{"Address":{"PostCode":"RG1 2LU"}},"ChargeDeviceLocation":null,"DateUpdated":7,' +
        '"ChargeDeviceModel":[1]} ',
    );
    expect(end).toBeGreaterThan(0);
    expect([fast.manufacturer, fast.locationType, fast.model, fast.postcode, fast.dateUpdated]).toEqual([
      undefined,
      undefined,
      null,
      undefined,
      null,
    ]);
  });

  it('counts a read value too long to hold as oversized', () => {
    const { fast } = scanDevice(`{"ChargeDeviceModel":"${'é'.repeat(40_000)}"} `);
    expect(fast.model).toBe(OVERSIZED_VALUE);
  });

  it.each([
    ['inside a string', DEVICE.slice(0, 120)],
    ['inside a key', DEVICE.slice(0, 5)],
    ['inside an escape', '{"Notes":"\\'],
    ['inside a literal', '{"Flag":fal'],
    ['after a number, which might go on', '{"ChargeDeviceModel":1'],
  ])('asks for more when the chunk ends %s', (_, text) => {
    expect(scanDevice(text).end).toBe(MORE);
  });

  it.each([
    ['an escaped key, left to the scanner to decode', '{"Charge\\u0044eviceModel":"A"}'],
    ['a control character in a string', '{"ChargeDeviceModel":"A\u0001"}'],
    ['a bad escape', '{"Notes":"\\x"}'],
    ['a trailing comma', '{"Notes":"a",}'],
    ['a bad literal', '{"Flag":tru}'],
    ['a literal already wrong where the chunk ends', '{"Flag":tx'],
    ['a \\u escape already wrong where the chunk ends', '{"Notes":"\\u00g'],
    ['a number with a leading zero', '{"Count":01}'],
    ['a byte outside the grammar', '{"Notes" "a"}'],
    ['nesting deeper than it goes', `{"Deep":${'['.repeat(40)}${']'.repeat(40)}}`],
  ])('gives up when %s', (_, text) => {
    expect(scanDevice(text).end).toBe(BAIL);
  });

  it('reads every device for the scanner when it lies in one chunk or is carried over to the next', () => {
    const scan = vi.spyOn(DeviceFastPath.prototype, 'scan');
    const devicesRead = (): number => scan.mock.results.filter((result) => (result.value as number) >= 0).length;
    try {
      expect(scanBytes(SAMPLE_BYTES).csv).toBe(SAMPLE_CSV);
      expect(devicesRead()).toBe(5);
      scan.mockClear();
      // Halves: the device cut in two is carried over to the second half.
      expect(scanBytes(SAMPLE_BYTES, Math.ceil(SAMPLE_BYTES.length / 2)).csv).toBe(SAMPLE_CSV);
      expect(devicesRead()).toBe(5);
      expect(scan.mock.results.filter((result) => result.value === MORE)).toHaveLength(1);
      scan.mockClear();
      // Pieces far smaller than a device: carried once, then read byte by byte.
      expect(scanBytes(SAMPLE_BYTES, 7).csv).toBe(SAMPLE_CSV);
      expect(devicesRead()).toBe(0);
    } finally {
      scan.mockRestore();
    }
  });
});
