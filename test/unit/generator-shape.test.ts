import { describe, expect, it } from 'vitest';
import { SAMPLE_BYTES } from './transform-helpers';
import { generate, parseDevices, type DeviceRecord } from './generator-helpers';

const SAMPLE = JSON.parse(SAMPLE_BYTES.toString('utf8')) as { Scheme: object; ChargeDevice: DeviceRecord[] };
const keysOf = (value: object): string[] => Object.keys(value);

describe('synthetic payload generator: shape', () => {
  const { text } = generate({ devices: 3_000, seed: 11, edgeRate: 0 });
  const devices = parseDevices(text);

  it('is valid JSON: a Scheme object and the ChargeDevice array, in the order asked for', () => {
    expect(keysOf(JSON.parse(text) as object)).toEqual(['Scheme', 'ChargeDevice']);
    const after = generate({ devices: 10, schemePosition: 'after' }).text;
    expect(keysOf(JSON.parse(after) as object)).toEqual(['ChargeDevice', 'Scheme']);
    expect(devices).toHaveLength(3_000);
  });

  it('has the real records’ keys, in their order, down to the address and connectors', () => {
    const real = SAMPLE.ChargeDevice[0];
    for (const device of devices) {
      expect(keysOf(device)).toEqual(keysOf(real));
      expect(keysOf(device.ChargeDeviceLocation)).toEqual(keysOf(real.ChargeDeviceLocation));
      expect(keysOf(device.ChargeDeviceLocation.Address)).toEqual(keysOf(real.ChargeDeviceLocation.Address));
      expect(device.Connector.length).toBeGreaterThanOrEqual(1);
      for (const connector of device.Connector) expect(keysOf(connector)).toEqual(keysOf(real.Connector[0]));
    }
  });

  it('is about 2.4 KB per device, like the real registry', () => {
    const perDevice = Buffer.byteLength(text) / devices.length;
    expect(perDevice).toBeGreaterThan(2_200);
    expect(perDevice).toBeLessThan(2_700);
  });

  it('carries the text a scanner must get right: non-ASCII, escaped quotes, backslashes and braces inside strings', () => {
    expect(text).toMatch(/[^\x00-\x7f]/);
    expect(text).toMatch(/[^\x00-\uffff]/u);
    expect(text).toContain('\\"');
    expect(text).toContain('\\\\');
    expect(text).toMatch(/"[^"]*\{[^"]*\}[^"]*"/);
  });

  it('has a Scheme holding "ChargeDevice":[ in a string and a nested ChargeDevice key, neither of them the array', () => {
    const scheme = (JSON.parse(text) as { Scheme: { SchemeData: { Notes: string; Legacy: object } } }).Scheme;
    expect(scheme.SchemeData.Notes).toContain('"ChargeDevice":[');
    expect(scheme.SchemeData.Legacy).toEqual({ ChargeDevice: [] });
  });

  it('groups devices in sites that share a postcode and owner, and sites share postcodes', () => {
    const postcodeOf = (device: DeviceRecord): unknown => device.ChargeDeviceLocation.Address.PostCode;
    let sameSiteAsPrevious = 0;
    for (let k = 1; k < devices.length; k++) {
      const [previous, current] = [devices[k - 1], devices[k]];
      if (postcodeOf(previous) === postcodeOf(current) && previous.DeviceNetworks === current.DeviceNetworks)
        sameSiteAsPrevious++;
    }
    expect(sameSiteAsPrevious / devices.length).toBeGreaterThan(0.4);
    const postcodes = new Set(devices.map(postcodeOf));
    expect(postcodes.size).toBeLessThan(devices.length / 2);
  });

  it('grows its distinct postcodes and CSV rows slower than its devices', () => {
    const distinct = (count: number): { postcodes: number; rows: number } => {
      const expected = generate({ devices: count, seed: 3 }).devices.map((device) => device.expected);
      return {
        postcodes: new Set(expected.map((e) => e.postcode)).size,
        rows: new Set(
          expected.map((e) => JSON.stringify([e.manufacturer, e.locationType, e.model, e.postcode, e.month])),
        ).size,
      };
    };
    const small = distinct(1_000);
    const large = distinct(30_000);
    expect(large.postcodes / small.postcodes).toBeLessThan(0.7 * 30);
    expect(large.rows / small.rows).toBeLessThan(0.9 * 30);
  });
});
