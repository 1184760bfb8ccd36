import { PlacePool } from '../generator/places';
import type { Random } from '../generator/random';
import { BUILDINGS, LOCATION_TYPES, NETWORKS, SENTENCES, STREETS, TOWNS } from '../generator/vocabulary';
import type { SimulatedFeed } from './feedSet';

/** One generated OCPI 2.2.1 Location: its compact JSON and what the transform must count of its EVSEs. */
export interface GeneratedLocation {
  json: string;
  /** The EVSEs' dedupe keys (country_code, party_id, id, uid) and whether each is REMOVED. */
  evses: { key: string; removed: boolean }[];
}

/** A connector as operators publish it; the power is written in the several ways feeds write it. */
interface ConnectorKind {
  standard: string;
  format: 'SOCKET' | 'CABLE';
  powerType: 'AC_1_PHASE' | 'AC_3_PHASE' | 'DC';
  voltage: number;
  amperage: number;
  watts: number;
  weight: number;
}

const CONNECTOR_KINDS: readonly ConnectorKind[] = [
  {
    standard: 'IEC_62196_T2',
    format: 'SOCKET',
    powerType: 'AC_1_PHASE',
    voltage: 230,
    amperage: 32,
    watts: 7_360,
    weight: 40,
  },
  {
    standard: 'IEC_62196_T2',
    format: 'SOCKET',
    powerType: 'AC_3_PHASE',
    voltage: 400,
    amperage: 32,
    watts: 22_000,
    weight: 15,
  },
  {
    standard: 'IEC_62196_T2_COMBO',
    format: 'CABLE',
    powerType: 'DC',
    voltage: 920,
    amperage: 125,
    watts: 50_000,
    weight: 14,
  },
  {
    standard: 'IEC_62196_T2_COMBO',
    format: 'CABLE',
    powerType: 'DC',
    voltage: 920,
    amperage: 200,
    watts: 150_000,
    weight: 8,
  },
  {
    standard: 'IEC_62196_T2_COMBO',
    format: 'CABLE',
    powerType: 'DC',
    voltage: 920,
    amperage: 500,
    watts: 350_000,
    weight: 3,
  },
  { standard: 'CHADEMO', format: 'CABLE', powerType: 'DC', voltage: 500, amperage: 125, watts: 50_000, weight: 5 },
  {
    standard: 'DOMESTIC_G',
    format: 'SOCKET',
    powerType: 'AC_1_PHASE',
    voltage: 230,
    amperage: 13,
    watts: 2_990,
    weight: 3,
  },
];
const CONNECTOR_WEIGHTS = CONNECTOR_KINDS.map((kind) => kind.weight);
/** Locations have 1–6 EVSEs, most often one or two. */
const EVSE_COUNT_WEIGHTS = [30, 35, 12, 12, 5, 6];
/** EVSEs have 1–3 connectors. */
const CONNECTOR_COUNT_WEIGHTS = [6, 3, 1];
/** Share of a site's EVSEs of the site's kind of charger, and updated in the site's month. */
const SAME_KIT_RATE = 0.8;
const SAME_MONTH_RATE = 0.85;
/** Share of EVSEs published with status REMOVED. */
const REMOVED_RATE = 0.02;
const STATUSES = ['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'CHARGING', 'OUTOFORDER', 'INOPERATIVE', 'UNKNOWN', 'PLANNED'];
const PARKING_TYPES = [
  'ON_STREET',
  'PARKING_LOT',
  'PARKING_GARAGE',
  'ALONG_MOTORWAY',
  'UNDERGROUND_GARAGE',
  'ON_DRIVEWAY',
];
const CAPABILITIES = ['RFID_READER', 'CONTACTLESS_CARD_SUPPORT', 'CREDIT_CARD_PAYABLE', 'REMOTE_START_STOP_CAPABLE'];
const FACILITIES = ['SUPERMARKET', 'CAFE', 'PARKING_LOT', 'HOTEL', 'RESTAURANT', 'WIFI', 'MALL', 'SPORT'];
/** Updates from January 2019 to November 2026. */
const FIRST_YEAR = 2019;
const MONTHS = 8 * 12 - 1;

const places = new PlacePool(
  LOCATION_TYPES.map((type) => type.weight),
  NETWORKS.length,
);

/**
 * Location `index` of `feed`: UUID or numeric ids, address, postcode from the
 * shared pool of places (so operators share postcodes), parking type, 1–6 EVSEs
 * (never more than `maxEvses`), mostly of the site's one kind of charger and
 * updated in the site's month, of 1–3 connectors with their power given as
 * watts, as kW, as a string or only as voltage and amperage, statuses with some
 * REMOVED, operator named or left to the feed's name. About 1.5–3 KB of JSON.
 */
export function generateLocation(
  random: Random,
  feed: SimulatedFeed,
  index: number,
  maxEvses: number,
): GeneratedLocation {
  const place = places.draw(random);
  // Most operators use UUIDs; some number their sites.
  const id = random.chance(0.8) ? uuid(random) : String(100_000 + index);
  const updated = monthOf(random);
  const kit = siteKit(random);
  const evseCount = Math.min(maxEvses, random.weighted(EVSE_COUNT_WEIGHTS) + 1);
  const evses: GeneratedLocation['evses'] = [];
  const evseObjects = [];
  for (let k = 0; k < evseCount; k++) {
    const uid = random.chance(0.8) ? uuid(random) : `${id}_${k + 1}`;
    const removed = random.chance(REMOVED_RATE);
    evses.push({ key: `GB\u0000${feed.partyId}\u0000${id}\u0000${uid}`, removed });
    // A site is mostly one kind of charger, installed and updated together.
    const connectors = random.chance(SAME_KIT_RATE) ? kit : siteKit(random);
    const month = random.chance(SAME_MONTH_RATE) ? updated : monthOf(random);
    evseObjects.push(evse(random, feed, uid, removed, connectors, month));
  }
  const street = random.pick(STREETS);
  const building = random.pick(BUILDINGS);
  const town = random.pick(TOWNS);
  const location = {
    country_code: 'GB',
    party_id: feed.partyId,
    id,
    publish: true,
    name: building === '' ? `${street}, ${town.town}` : building,
    address: `${random.between(1, 240)} ${street}`,
    city: town.town,
    postal_code: postcodeAsWritten(random, place.postcode),
    state: town.county,
    country: random.chance(0.9) ? 'GBR' : 'GB',
    coordinates: {
      latitude: (49.9 + random.float() * 8.7).toFixed(6),
      longitude: (-7.5 + random.float() * 9.2).toFixed(6),
    },
    ...(random.chance(0.85)
      ? { parking_type: PARKING_TYPES[(place.locationType + random.int(2)) % PARKING_TYPES.length] }
      : {}),
    evses: evseObjects,
    directions: [{ language: 'en', text: random.pick(SENTENCES) }],
    ...(random.chance(0.8)
      ? { operator: { name: feed.name, website: `https://${feed.partyId.toLowerCase()}.example` } }
      : {}),
    facilities: [random.pick(FACILITIES)],
    time_zone: 'Europe/London',
    opening_times: { twentyfourseven: true },
    last_updated: `${updated}-${String(random.between(1, 28)).padStart(2, '0')}T${String(random.int(24)).padStart(2, '0')}:15:00Z`,
  };
  return { json: JSON.stringify(location), evses };
}

/** The connector kinds of one charger: 1–3 of them. */
function siteKit(random: Random): ConnectorKind[] {
  const count = random.weighted(CONNECTOR_COUNT_WEIGHTS) + 1;
  return Array.from({ length: count }, () => CONNECTOR_KINDS[random.weighted(CONNECTOR_WEIGHTS)]);
}

function evse(
  random: Random,
  feed: SimulatedFeed,
  uid: string,
  removed: boolean,
  kinds: readonly ConnectorKind[],
  month: string,
) {
  return {
    uid,
    evse_id: `GB*${feed.partyId}*E${random.hex(12).toUpperCase()}`,
    status: removed ? 'REMOVED' : random.pick(STATUSES),
    capabilities: [random.pick(CAPABILITIES), random.pick(CAPABILITIES)],
    connectors: kinds.map((kind, k) => connector(random, kind, k + 1, month)),
    physical_reference: String(random.between(1, 40)),
    floor_level: '0',
    parking_restrictions: random.chance(0.1) ? ['CUSTOMERS'] : [],
    // Some EVSEs have no date of their own: the Location's month stands in.
    ...(random.chance(0.8)
      ? { last_updated: `${month}-${String(random.between(1, 28)).padStart(2, '0')}T08:10:04Z` }
      : {}),
  };
}

function connector(random: Random, kind: ConnectorKind, id: number, month: string) {
  const style = random.int(10);
  // Most give watts; some kW (below 1000, read as kW), a string, or only voltage × amperage.
  const power =
    style < 6
      ? { max_electric_power: kind.watts }
      : style < 7
        ? { max_electric_power: kind.watts / 1000 }
        : style < 8
          ? { max_electric_power: ` ${kind.watts} ` }
          : {};
  return {
    id: String(id),
    standard: kind.standard,
    format: kind.format,
    power_type: kind.powerType,
    max_voltage: kind.voltage,
    max_amperage: kind.amperage,
    ...power,
    tariff_ids: [`T-${kind.standard}-${kind.watts}`],
    last_updated: `${month}-01T00:00:00Z`,
  };
}

/** Mostly canonical; some lowercase or unspaced, as feeds write them. */
function postcodeAsWritten(random: Random, postcode: string): string {
  const style = random.int(20);
  if (style === 0) return postcode.toLowerCase();
  if (style === 1) return postcode.replace(' ', '');
  return postcode;
}

function uuid(random: Random): string {
  const hex = random.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** `YYYY-MM`, recent months more likely. */
function monthOf(random: Random): string {
  const month = MONTHS - Math.floor(MONTHS * random.float() ** 2);
  return `${FIRST_YEAR + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
}
