import {
  EDGE_CASES,
  edgeCaseDevice,
  regularDevice,
  type CleanFields,
  type EdgeCase,
  type ExpectedDevice,
  type RawFields,
} from './edgeCases';
import { PlacePool } from './places';
import { Random } from './random';
import {
  BUILDINGS,
  CONNECTOR_KINDS,
  DEVICE_STATUSES,
  LOCATION_TYPES,
  MANUFACTURERS,
  NETWORKS,
  SENTENCES,
  STREETS,
  TOWNS,
  type Manufacturer,
  type Network,
} from './vocabulary';

/** Bumped whenever the same options would give different bytes, so stale cached payloads are regenerated. */
export const GENERATOR_VERSION = 1;

export type SchemePosition = 'before' | 'after';

export interface PayloadOptions {
  devices: number;
  seed: number;
  /** Probability that a device carries one edge case (edgeCases.ts), drawn uniformly among them. */
  edgeRate: number;
  /** Whether the Scheme object comes before the ChargeDevice array (as the registry sends it) or after. */
  schemePosition: SchemePosition;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_EDGE_RATE = 0.02;

/** One generated device, as the observer of registryText sees it. */
export interface GeneratedDevice {
  edgeCase: EdgeCase | undefined;
  raw: RawFields;
  expected: ExpectedDevice;
}

/** How many devices a site has: mostly one or two, a few hubs with many. */
const SITE_SIZE_WEIGHTS = [38, 26, 12, 9, 5, 4, 2, 2, 0, 0, 0, 1, 0, 0, 0, 1];
/** Devices have one to four connectors, most often two. */
const CONNECTOR_COUNT_WEIGHTS = [4, 5, 2, 1];
/** Months from January 2012 to December 2026; recent months are more likely. */
const FIRST_YEAR = 2012;
const MONTHS = 15 * 12;

/**
 * The scheme block, with a string holding `"ChargeDevice":[` and a nested
 * ChargeDevice key: neither is the top-level array, and a scanner must not take them for it.
 */
const SCHEME = {
  SchemeCode: 'NA',
  SchemeData: {
    OrganisationName: 'NA',
    Website: 'NA',
    TelephoneNo: 'NA',
    Notes: 'Exports before 2019 wrapped devices as {"ChargeDevice":[ … ]} — see "Format" {v1}.',
    Legacy: { ChargeDevice: [] },
  },
};

/**
 * The text of a synthetic registry payload, in pieces (one per device) whose
 * concatenation is compact JSON shaped like the real registry's: sites of several
 * devices sharing an address, postcode, owner and often model and update date;
 * connector arrays; long free text with quotes, braces and non-ASCII characters;
 * edge cases at `edgeRate`. About 2.5 KB per device, like the real records.
 * Deterministic for given options.
 * `onDevice` sees each device's raw fields and expected CSV contribution.
 */
export function* registryText(
  options: PayloadOptions,
  onDevice?: (device: GeneratedDevice) => void,
): Generator<string> {
  const random = new Random(options.seed);
  const places = new PlacePool(LOCATION_TYPE_WEIGHTS, NETWORKS.length);
  const fleetList = fleets(random);
  const scheme = JSON.stringify(SCHEME);
  yield options.schemePosition === 'before' ? `{"Scheme":${scheme},"ChargeDevice":[` : '{"ChargeDevice":[';
  let written = 0;
  while (written < options.devices) {
    const site = newSite(random, fleetList, places);
    const size = Math.min(1 + random.weighted(SITE_SIZE_WEIGHTS), options.devices - written);
    for (let k = 0; k < size; k++) {
      const clean = deviceFields(site, random);
      const edgeCase = random.chance(options.edgeRate) ? random.pick(EDGE_CASES) : undefined;
      const { raw, expected } = edgeCase === undefined ? regularDevice(clean) : edgeCaseDevice(edgeCase, clean, random);
      onDevice?.({ edgeCase, raw, expected });
      const json = JSON.stringify(deviceRecord(site, k, raw, random));
      yield written === 0 ? json : `,${json}`;
      written++;
    }
  }
  yield options.schemePosition === 'before' ? ']}' : `],"Scheme":${scheme}}`;
}

/**
 * How a network deploys and maintains its chargers: a few models, and bulk updates
 * of its records in a few months. Sites of a network at the same postcode therefore
 * often fall in the same CSV row, and the number of rows grows slower than the devices.
 */
interface Fleet {
  network: Network;
  deployments: { manufacturer: Manufacturer; model: string }[];
  updateMonths: number[];
}

/** A fleet's models and bulk update months, and how common each is. */
const FLEET_CHOICE_WEIGHTS = [6, 2, 1];
/** Share of sites whose record was last updated in one of the network's bulk update months. */
const BULK_UPDATE_SHARE = 0.95;

function fleets(random: Random): Fleet[] {
  return NETWORKS.map((network) => ({
    network,
    deployments: Array.from({ length: FLEET_CHOICE_WEIGHTS.length }, () => {
      const manufacturer = MANUFACTURERS[random.weighted(MANUFACTURER_WEIGHTS)];
      return { manufacturer, model: random.pick(manufacturer.models) };
    }),
    updateMonths: Array.from({ length: FLEET_CHOICE_WEIGHTS.length }, () => recentMonth(random)),
  }));
}

/** What the devices of one site share. */
interface Site {
  reference: string;
  fleet: Fleet;
  manufacturer: Manufacturer;
  model: string;
  locationType: string;
  controller: Network;
  postcode: string;
  town: { town: string; county: string };
  street: string;
  building: string;
  latitude: number;
  longitude: number;
  description: string;
  createdMonth: number;
  updatedMonth: number;
  onStreet: boolean;
  access: unknown;
}

/** Most sites at a place belong to its main network. */
const PLACE_NETWORK_WEIGHTS = [3, 1];
const MANUFACTURER_WEIGHTS = MANUFACTURERS.map((manufacturer) => manufacturer.weight);
const LOCATION_TYPE_WEIGHTS = LOCATION_TYPES.map((type) => type.weight);

function newSite(random: Random, fleetList: Fleet[], places: PlacePool): Site {
  const place = places.draw(random);
  const fleet = fleetList[place.networks[random.weighted(PLACE_NETWORK_WEIGHTS)]];
  const deployment = fleet.deployments[random.weighted(FLEET_CHOICE_WEIGHTS)];
  const locationType = LOCATION_TYPES[place.locationType].name;
  const updatedMonth = updateMonth(random, fleet);
  const createdMonth = random.int(updatedMonth + 1);
  return {
    reference: `${fleet.network.schemeCode.slice(0, 3)}${random.between(10000, 99999)}`,
    fleet,
    manufacturer: deployment.manufacturer,
    model: deployment.model,
    locationType,
    controller: random.chance(0.7) ? fleet.network : random.pick(NETWORKS),
    postcode: place.postcode,
    town: random.pick(TOWNS),
    street: random.pick(STREETS),
    building: random.pick(BUILDINGS),
    latitude: 50 + random.float() * 8.5,
    longitude: -6 + random.float() * 7.7,
    description: freeText(random, random.between(0, 3)),
    createdMonth,
    updatedMonth,
    onStreet: locationType === 'On-street',
    access: deviceAccess(random),
  };
}

/** Mostly one of the fleet's bulk update months, now and then any month. */
function updateMonth(random: Random, fleet: Fleet): number {
  return random.chance(BULK_UPDATE_SHARE)
    ? fleet.updateMonths[random.weighted(FLEET_CHOICE_WEIGHTS)]
    : recentMonth(random);
}

/** The transform's fields of a site's next device: nearly all share the site's model and month of update. */
function deviceFields(site: Site, random: Random): CleanFields {
  const { manufacturer, model } = random.chance(0.95) ? site : random.pick(site.fleet.deployments);
  const month = random.chance(0.95) ? site.updatedMonth : Math.max(site.createdMonth, updateMonth(random, site.fleet));
  return {
    manufacturer: manufacturer.name,
    locationType: site.locationType,
    model,
    postcode: site.postcode,
    dateUpdated: timestamp(random, month),
    month: yearMonth(month),
  };
}

/** A device record with the registry's keys in the registry's order; undefined raw fields are left out. */
function deviceRecord(site: Site, index: number, raw: RawFields, random: Random): Record<string, unknown> {
  const created = timestamp(random, site.createdMonth);
  return {
    ChargeDeviceId: random.hex(32),
    ChargeDeviceRef: `${site.reference}-${index + 1}`,
    ChargeDeviceName: `${site.building || site.street} ${index + 1}`,
    ChargeDeviceText: random.chance(0.9) ? null : freeText(random, 1),
    ChargeDeviceLocation: {
      Latitude: (site.latitude + random.float() * 1e-4).toFixed(6),
      Longitude: (site.longitude + random.float() * 1e-4).toFixed(6),
      Address: {
        SubBuildingName: null,
        BuildingName: site.building,
        BuildingNumber: random.chance(0.3) ? String(random.between(1, 250)) : '',
        Thoroughfare: site.street,
        Street: '',
        DoubleDependantLocality: null,
        DependantLocality: null,
        PostTown: site.town.town,
        County: site.town.county,
        PostCode: raw.postcode,
        Country: 'gb',
        UPRN: random.chance(0.2) ? String(random.between(10_000_000, 99_999_999_999)) : '',
      },
      LocationShortDescription: random.chance(0.8) ? null : `${site.building || site.street}, ${site.town.town}`,
      LocationLongDescription: site.description,
    },
    ChargeDeviceManufacturer: raw.manufacturer,
    ChargeDeviceModel: raw.model,
    PublishStatusID: '1',
    DateCreated: created,
    DateUpdated: raw.dateUpdated,
    Attribution: site.fleet.network.name,
    DateDeleted: 'n/a',
    Connector: connectors(random, 1 + random.weighted(CONNECTOR_COUNT_WEIGHTS)),
    DeviceOwner: organisation(site.fleet.network),
    DeviceController: organisation(site.controller),
    DeviceAccess: site.access,
    DeviceNetworks: site.fleet.network.name,
    ChargeDeviceStatus: random.pick(DEVICE_STATUSES),
    PublishStatus: 'Published',
    DeviceValidated: random.chance(0.5) ? '1' : '0',
    RecordModerated: 'Y',
    RecordLastUpdated: created,
    RecordLastUpdatedBy: site.fleet.network.name,
    PaymentRequiredFlag: true,
    PaymentDetails: site.fleet.network.payment,
    SubscriptionRequiredFlag: false,
    SubscriptionDetails: '',
    ParkingFeesFlag: random.chance(0.3),
    ParkingFeesDetails: random.chance(0.2) ? freeText(random, 1) : '',
    ParkingFeesUrl: '',
    AccessRestrictionFlag: false,
    AccessRestrictionDetails: random.chance(0.2) ? freeText(random, 1) : '',
    PhysicalRestrictionFlag: false,
    PhysicalRestrictionText: '',
    OnStreetFlag: site.onStreet,
    LocationType: raw.locationType,
    Bearing: random.chance(0.9) ? null : random.between(0, 359),
    Accessible24Hours: random.chance(0.5),
  };
}

function connectors(random: Random, count: number): Record<string, string>[] {
  return Array.from({ length: count }, (_, k) => {
    const kind = random.pick(CONNECTOR_KINDS);
    return {
      ConnectorId: String(k + 1),
      ConnectorType: kind.type,
      RatedOutputkW: kind.outputKw,
      RatedOutputVoltage: kind.voltage,
      RatedOutputCurrent: kind.current,
      ChargeMethod: kind.method,
      ChargeMode: kind.mode,
      ChargePointStatus: 'In service',
      TetheredCable: kind.tethered,
      Information: random.chance(0.05) ? freeText(random, 1) : '',
      Validated: '0',
    };
  });
}

function organisation(network: Network): Record<string, string> {
  return {
    OrganisationName: network.name,
    SchemeCode: network.schemeCode,
    Website: network.website,
    TelephoneNo: network.telephone,
  };
}

/** As the registry varies it: no entry, "open 24 hours", or opening hours per day. */
function deviceAccess(random: Random): unknown {
  const kind = random.int(10);
  if (kind < 5) return [];
  if (kind < 9) return { Open24Hours: true };
  return {
    RegularOpenings: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((day) => ({
      Days: day,
      Hours: { From: '07:00', To: '22:00' },
    })),
  };
}

function freeText(random: Random, sentences: number): string {
  const parts: string[] = [];
  for (let k = 0; k < sentences; k++) parts.push(random.pick(SENTENCES));
  return parts.join(' ');
}

/** A month index from 0 (January 2012), skewed towards recent months as the registry grows. */
function recentMonth(random: Random): number {
  return Math.floor(MONTHS * (1 - random.float() ** 2));
}

/** "YYYY-MM" of month index `month`. */
function yearMonth(month: number): string {
  return `${FIRST_YEAR + Math.floor(month / 12)}-${twoDigits((month % 12) + 1)}`;
}

/** "YYYY-MM-DD HH:MM:SS" within month index `month`. */
function timestamp(random: Random, month: number): string {
  return `${yearMonth(month)}-${twoDigits(random.between(1, 28))} ${twoDigits(random.int(24))}:${twoDigits(random.int(60))}:${twoDigits(random.int(60))}`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}
