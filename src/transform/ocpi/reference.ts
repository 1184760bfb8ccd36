import { emptyChargePointStats, type ChargePointStats } from '../../domain/chargePointStats';
import { PayloadError } from '../../domain/errors';
import { contractCsvChunks } from '../csv';
import { normalizePostcode } from '../rules';
import { CHARGE_POINT_COLUMNS } from './csv';

/**
 * The open-data transform written plainly from issue 10: JSON.parse each whole
 * body, then the rules one after another. Only the charger-models postcode rule and
 * the CSV writer are shared with the streaming transform (both are the contract);
 * everything else is written again here, so that tests compare two readings of the
 * spec. It is the oracle for tests, not for production-size bodies.
 */
export function referenceChargePoints(feeds: { name: string; bodies: Buffer[] }[]): {
  csv: string;
  stats: ChargePointStats;
} {
  const stats: ChargePointStats = emptyChargePointStats();
  const seenKeys = new Set<string>();
  const counts = new Map<string, number>();

  for (const feed of feeds) {
    for (const body of feed.bodies) {
      for (const location of locationArray(body)) {
        if (!isObject(location)) {
          stats.malformedRecords++;
          continue;
        }
        stats.locationsSeen++;
        if (get(location, 'publish') === false) {
          stats.locationsUnpublished++;
          continue;
        }
        const country = get(location, 'country');
        if (
          typeof country === 'string' &&
          country.trim() !== '' &&
          !['GBR', 'GB'].includes(country.trim().toUpperCase())
        ) {
          stats.locationsOutsideUk++;
          continue;
        }
        const operator = get(location, 'operator');
        const operatorNameValue = isObject(operator) ? get(operator, 'name') : undefined;
        const operatorName =
          typeof operatorNameValue === 'string' && operatorNameValue.trim() !== ''
            ? operatorNameValue.trim()
            : feed.name.trim();
        const parkingValue = get(location, 'parking_type');
        const parking =
          typeof parkingValue === 'string' &&
          [
            'ALONG_MOTORWAY',
            'PARKING_GARAGE',
            'PARKING_LOT',
            'ON_DRIVEWAY',
            'ON_STREET',
            'UNDERGROUND_GARAGE',
          ].includes(parkingValue.trim().toUpperCase())
            ? parkingValue.trim().toUpperCase()
            : '';
        const postcodeValue = get(location, 'postal_code');
        const postcode = normalizePostcode(postcodeValue);
        const evses = get(location, 'evses');
        if (!Array.isArray(evses)) continue;

        for (const evse of evses) {
          if (!isObject(evse)) {
            stats.malformedRecords++;
            continue;
          }
          stats.evsesSeen++;
          const status = get(evse, 'status');
          if (typeof status === 'string' && status.trim().toUpperCase() === 'REMOVED') {
            stats.evsesRemoved++;
            continue;
          }
          const locationId = id(get(location, 'id'));
          const uid = id(get(evse, 'uid'));
          if (locationId !== undefined && uid !== undefined) {
            const key = JSON.stringify([
              id(get(location, 'country_code')) ?? '',
              id(get(location, 'party_id')) ?? '',
              locationId,
              uid,
            ]);
            if (seenKeys.has(key)) {
              stats.duplicatesDropped++;
              continue;
            }
            seenKeys.add(key);
          }
          stats.evsesKept++;

          if (postcode.status === 'missing') stats.postcodeMissing++;
          if (postcode.status === 'invalid') stats.postcodeInvalid++;
          if (postcode.status !== 'missing' && postcode.text !== postcodeValue) stats.postcodeNormalized++;

          const connectorsValue = get(evse, 'connectors');
          const connectors = (Array.isArray(connectorsValue) ? connectorsValue : []).filter(isObject);
          const standards = connectors.map((connector) => {
            const standard = get(connector, 'standard');
            return typeof standard === 'string' && standard.trim() !== '' ? standard.trim().toUpperCase() : 'UNKNOWN';
          });
          const connectorTypes = [...new Set(standards)].sort().join('+');

          const watts = connectors.map(connectorWatts).filter((value): value is number => value !== undefined);
          let speed: string;
          if (watts.length === 0) {
            speed = 'unknown';
            stats.speedUnknown++;
          } else {
            const highest = Math.max(...watts);
            speed = highest < 8000 ? 'slow' : highest < 50000 ? 'fast' : highest < 150000 ? 'rapid' : 'ultra-rapid';
          }

          let month = '';
          for (const updated of [get(evse, 'last_updated'), get(location, 'last_updated')]) {
            if (typeof updated === 'string' && /^[0-9]{4}-[0-9]{2}/.test(updated)) {
              month = updated.slice(0, 7);
              break;
            }
          }
          if (month === '') stats.monthMissing++;

          const row = JSON.stringify([operatorName, parking, connectorTypes, speed, postcode.text, month]);
          counts.set(row, (counts.get(row) ?? 0) + 1);
        }
      }
    }
  }

  const rows = [...counts].map(([row, evses]) => [...(JSON.parse(row) as string[]), evses] as [...string[], number]);
  rows.sort((a, b) => {
    for (let k = 0; k < 6; k++) if (a[k] !== b[k]) return (a[k] as string) < (b[k] as string) ? -1 : 1;
    return 0;
  });
  stats.rows = rows.length;
  return { csv: [...contractCsvChunks(CHARGE_POINT_COLUMNS, rows)].join(''), stats };
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function get(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function id(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value);
  return undefined;
}

function number(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^ *-?[0-9]+(\.[0-9]+)? *$/.test(value) && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function connectorWatts(connector: JsonObject): number | undefined {
  const power = number(get(connector, 'max_electric_power'));
  if (power !== undefined && power > 0) return power < 1000 ? power * 1000 : power;
  const volts = number(get(connector, 'max_voltage'));
  const amps = number(get(connector, 'max_amperage'));
  if (volts === undefined || amps === undefined || !(volts > 0 && amps > 0)) return undefined;
  const powerType = get(connector, 'power_type');
  const type = typeof powerType === 'string' ? powerType.trim().toUpperCase() : '';
  const phases = type === 'AC_3_PHASE' ? 3 : type === 'AC_2_PHASE' || type === 'AC_2_PHASE_SPLIT' ? 2 : 1;
  return volts * amps * phases;
}

/** The Location array of one body, by the shape rules of "Fetching a feed". */
function locationArray(body: Buffer): unknown[] {
  const text = body.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text);
  } catch (error) {
    throw new PayloadError(`invalid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(document)) return document;
  if (!isObject(document)) throw new PayloadError('no Location array: the body is neither an array nor an object');
  const statusCode = get(document, 'status_code');
  if (typeof statusCode === 'number' && (statusCode < 1000 || statusCode > 1999)) {
    throw new PayloadError(
      `the feed answered OCPI status_code ${statusCode}: ${String(get(document, 'status_message'))}`,
    );
  }
  const data = get(document, 'data');
  if (Array.isArray(data)) return data;
  const locations = get(document, 'locations');
  if (Array.isArray(locations)) return locations;
  const dataLocations = isObject(data) ? get(data, 'locations') : undefined;
  const dataLocationsData = isObject(dataLocations) ? get(dataLocations, 'data') : undefined;
  if (Array.isArray(dataLocationsData)) return dataLocationsData;
  if (Array.isArray(dataLocations)) return dataLocations;
  throw new PayloadError(`no Location array in the body (found keys ${Object.keys(document).join(', ')})`);
}
