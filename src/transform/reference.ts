import { PayloadError } from '../domain/errors';
import type { TransformStats } from '../domain/stats';
import { DeviceAggregator } from './aggregate';
import { formatCsv } from './csv';
import { isOversizedValue, OVERSIZED_VALUE } from './rules';

/**
 * The plain implementation of the transform: JSON.parse the whole document, then
 * apply the same rules, aggregation and CSV formatting as the streaming pipeline.
 * It is the oracle for tests and the benchmark, not for production-size payloads.
 */
export function referenceTransform(jsonText: string): { csv: string; stats: TransformStats } {
  const text = jsonText.charCodeAt(0) === 0xfeff ? jsonText.slice(1) : jsonText;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PayloadError(`invalid JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(document)) {
    throw new PayloadError(`not a registry payload: the document is ${describe(document)}, expected an object`);
  }
  if (!Object.hasOwn(document, 'ChargeDevice')) {
    throw new PayloadError('not a registry payload: no top-level ChargeDevice key');
  }
  const devices = document.ChargeDevice;
  if (!Array.isArray(devices)) {
    throw new PayloadError(`not a registry payload: ChargeDevice is ${describe(devices)}, expected an array`);
  }

  const aggregator = new DeviceAggregator();
  for (const device of devices) {
    if (!isJsonObject(device)) {
      aggregator.addMalformed();
      continue;
    }
    aggregator.addDevice(
      bounded(ownField(device, 'ChargeDeviceManufacturer')),
      bounded(ownField(device, 'LocationType')),
      bounded(ownField(device, 'ChargeDeviceModel')),
      bounded(postcodeOf(device)),
      bounded(ownField(device, 'DateUpdated')),
    );
  }
  const { stats, rows } = aggregator.finish();
  return { csv: formatCsv(rows), stats };
}

type JsonObject = Record<string, unknown>;

/**
 * A read field's value, or OVERSIZED_VALUE when it is too long to be materialised (rules.ts).
 * The scanner also treats a number written with more than MAX_FIELD_BYTES characters as
 * oversized; JSON.parse does not show how a number was written, so this oracle cannot.
 */
function bounded(value: unknown): unknown {
  return isOversizedValue(value) ? OVERSIZED_VALUE : value;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: JSON.parse can create a "__proto__" key, and inherited names must not count. */
function ownField(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function postcodeOf(device: JsonObject): unknown {
  const location = ownField(device, 'ChargeDeviceLocation');
  if (!isJsonObject(location)) return undefined;
  const address = ownField(location, 'Address');
  if (!isJsonObject(address)) return undefined;
  return ownField(address, 'PostCode');
}

/** Names a JSON value's kind for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    default:
      return `a ${typeof value}`;
  }
}
