import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface RegistryPayload {
  Scheme: unknown;
  ChargeDevice: Record<string, unknown>[];
}

const SAMPLE: RegistryPayload = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'ncr-public-sample.json'), 'utf8'),
) as RegistryPayload;

/** The five real sample records, as served by the registry. */
export function samplePayload(): Buffer {
  return Buffer.from(JSON.stringify(SAMPLE));
}

/**
 * A payload of `devices` records made from the real samples, each copy given
 * its own ID and one of `postcodes` distinct postcodes, so the CSV has many rows
 * and the body is large enough to show it never crosses Temporal.
 */
export function scaledPayload(devices: number, postcodes = 500): Buffer {
  const ChargeDevice = Array.from({ length: devices }, (_, index) => {
    const template = SAMPLE.ChargeDevice[index % SAMPLE.ChargeDevice.length];
    const location = template.ChargeDeviceLocation as { Address: Record<string, unknown> };
    const district = index % postcodes;
    return {
      ...template,
      ChargeDeviceId: `device-${index}`,
      ChargeDeviceLocation: {
        ...location,
        Address: {
          ...location.Address,
          PostCode: `SW${1 + (district % 20)} ${1 + (district % 9)}A${String.fromCharCode(65 + (district % 26))}`,
        },
      },
    };
  });
  return Buffer.from(JSON.stringify({ Scheme: SAMPLE.Scheme, ChargeDevice }));
}
