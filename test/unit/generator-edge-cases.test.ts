import { describe, expect, it } from 'vitest';
import { EDGE_CASES } from '../../bench/generator/edgeCases';
import { generate, parseDevices, type DeviceRecord } from './generator-helpers';

const CANONICAL_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/;
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-\d{2} \d{2}:\d{2}:\d{2}$/;

const isCleanText = (value: unknown): boolean => typeof value === 'string' && value !== '' && value === value.trim();

/** Read from the payload itself: does this device have any of the five fields in an irregular form? */
function isIrregular(device: DeviceRecord): boolean {
  const postcode = device.ChargeDeviceLocation.Address.PostCode;
  return !(
    isCleanText(device.ChargeDeviceManufacturer) &&
    isCleanText(device.LocationType) &&
    isCleanText(device.ChargeDeviceModel) &&
    typeof postcode === 'string' &&
    CANONICAL_POSTCODE.test(postcode) &&
    typeof device.DateUpdated === 'string' &&
    TIMESTAMP.test(device.DateUpdated)
  );
}

describe('synthetic payload generator: edge cases', () => {
  it('writes none at rate 0: every device is regular', () => {
    const { text, devices } = generate({ devices: 2_000, edgeRate: 0 });
    expect(devices.every((device) => device.edgeCase === undefined)).toBe(true);
    expect(parseDevices(text).filter(isIrregular)).toEqual([]);
  });

  it('writes them at the configured rate, every kind, on exactly the devices it says', () => {
    const devices = 8_000;
    const rate = 0.2;
    const generated = generate({ devices, edgeRate: rate, seed: 9 });
    const labelled = generated.devices.map((device) => device.edgeCase !== undefined);
    const share = labelled.filter(Boolean).length / devices;
    // Four standard deviations of a binomial share: deterministic for the seed, and loose enough for any seed.
    expect(Math.abs(share - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / devices));
    expect(new Set(generated.devices.map((device) => device.edgeCase))).toEqual(new Set([undefined, ...EDGE_CASES]));
    expect(parseDevices(generated.text).map(isIrregular)).toEqual(labelled);
  });

  it('writes the forms the contract names: lowercase, unspaced and NBSP postcodes, nulls, numbers, missing models and dates', () => {
    const { text, devices } = generate({ devices: 6_000, edgeRate: 0.3, seed: 4 });
    const records = parseDevices(text);
    const rawOf = (kind: string): unknown[] =>
      devices.flatMap((device, k) => (device.edgeCase === kind ? [records[k]] : []));
    const postcodes = (kind: string): unknown[] =>
      rawOf(kind).map((record) => (record as DeviceRecord).ChargeDeviceLocation.Address.PostCode);
    expect(postcodes('postcodeLowercase').every((postcode) => postcode === (postcode as string).toLowerCase())).toBe(
      true,
    );
    expect(postcodes('postcodeUnspaced').every((postcode) => !/\s/.test(postcode as string))).toBe(true);
    expect(postcodes('postcodeNbsp').every((postcode) => (postcode as string).includes('\u00a0'))).toBe(true);
    expect(postcodes('postcodeNull').every((postcode) => postcode === null)).toBe(true);
    expect(postcodes('postcodeNumeric').every((postcode) => typeof postcode === 'number')).toBe(true);
    expect(
      rawOf('postcodeAbsent').every((record) => !('PostCode' in (record as DeviceRecord).ChargeDeviceLocation.Address)),
    ).toBe(true);
    expect(rawOf('modelAbsent').every((record) => !('ChargeDeviceModel' in (record as DeviceRecord)))).toBe(true);
    expect(
      rawOf('modelNumeric').every((record) => typeof (record as DeviceRecord).ChargeDeviceModel === 'number'),
    ).toBe(true);
    expect(
      rawOf('manufacturerNull').every((record) => (record as DeviceRecord).ChargeDeviceManufacturer === null),
    ).toBe(true);
    expect(rawOf('dateAbsent').every((record) => !('DateUpdated' in (record as DeviceRecord)))).toBe(true);
  });
});
