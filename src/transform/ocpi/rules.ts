/**
 * The per-field rules of charge_points_UK.csv (issue 10, "The transform"). Inputs are
 * values as JSON.parse gives them (undefined when absent). The PostCode and
 * MonthUpdated prefix rules are the charger-models ones, in ../rules.ts.
 */

export type JsonObject = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: JSON.parse can create a "__proto__" key, and inherited names must not count. */
export function ownField(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * An id (location `id`, EVSE `uid`, `country_code`, `party_id`): a non-empty string as
 * it is, or an integer below 2^53 in absolute value written in decimal digits;
 * undefined (absent) otherwise. Larger numbers are absent: JSON.parse has already
 * rounded them, so two different ids could look equal.
 */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

const UK_COUNTRIES = new Set(['GBR', 'GB']);

/** A `country` that is a non-blank string naming another country than GBR/GB. */
export function isOutsideUk(country: unknown): boolean {
  if (typeof country !== 'string') return false;
  const code = country.trim().toUpperCase();
  return code !== '' && !UK_COUNTRIES.has(code);
}

/** `operator.name` trimmed when non-blank, else the feed's name trimmed. */
export function operatorName(operator: unknown, feedName: string): string {
  const name = isJsonObject(operator) ? ownField(operator, 'name') : undefined;
  if (typeof name === 'string') {
    const trimmed = name.trim();
    if (trimmed !== '') return trimmed;
  }
  return feedName.trim();
}

const PARKING_TYPES = new Set([
  'ALONG_MOTORWAY',
  'PARKING_GARAGE',
  'PARKING_LOT',
  'ON_DRIVEWAY',
  'ON_STREET',
  'UNDERGROUND_GARAGE',
]);

/** `parking_type` trimmed and uppercased when it is an OCPI parking type, else "". */
export function parkingType(value: unknown): string {
  if (typeof value !== 'string') return '';
  const type = value.trim().toUpperCase();
  return PARKING_TYPES.has(type) ? type : '';
}

/** An EVSE `status` of REMOVED (trimmed, any case): the EVSE is gone. */
export function isRemoved(status: unknown): boolean {
  return typeof status === 'string' && status.trim().toUpperCase() === 'REMOVED';
}

/** The connector objects of an EVSE; other elements of `connectors` are ignored. */
export function connectorObjects(evse: JsonObject): JsonObject[] {
  const connectors = ownField(evse, 'connectors');
  return Array.isArray(connectors) ? connectors.filter(isJsonObject) : [];
}

/** Distinct connector standards (trimmed, uppercased, UNKNOWN when blank), sorted by UTF-16 code units, joined with "+". */
export function connectorTypes(connectors: readonly JsonObject[]): string {
  const standards = new Set<string>();
  for (const connector of connectors) {
    const standard = ownField(connector, 'standard');
    const text = typeof standard === 'string' ? standard.trim().toUpperCase() : '';
    standards.add(text === '' ? 'UNKNOWN' : text);
  }
  return [...standards].sort().join('+');
}

const NUMERIC_TEXT = /^ *-?[0-9]+(?:\.[0-9]+)? *$/;

/**
 * A number as the power rules read one: a finite JSON number (never a boolean), or a
 * string of optional spaces, optional "-", digits, optional "." and digits, optional
 * spaces, with a finite value. Undefined otherwise.
 */
export function powerNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !NUMERIC_TEXT.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/** Phases of a connector's `power_type` (trimmed, any case); 1 for anything else. */
function phases(powerType: unknown): number {
  if (typeof powerType !== 'string') return 1;
  const type = powerType.trim().toUpperCase();
  if (type === 'AC_3_PHASE') return 3;
  return type === 'AC_2_PHASE' || type === 'AC_2_PHASE_SPLIT' ? 2 : 1;
}

/**
 * A connector's power in watts: `max_electric_power` when > 0 (kW when below 1000),
 * else volts × amps × phases when both are > 0; undefined when unknown.
 */
export function connectorWatts(connector: JsonObject): number | undefined {
  const rated = powerNumber(ownField(connector, 'max_electric_power'));
  if (rated !== undefined && rated > 0) return rated < 1000 ? rated * 1000 : rated;
  const volts = powerNumber(ownField(connector, 'max_voltage'));
  const amps = powerNumber(ownField(connector, 'max_amperage'));
  if (volts === undefined || amps === undefined || volts <= 0 || amps <= 0) return undefined;
  return volts * amps * phases(ownField(connector, 'power_type'));
}

export type SpeedCategory = 'unknown' | 'slow' | 'fast' | 'rapid' | 'ultra-rapid';

/** The speed band of the highest known connector power (the bands of the UK's official charging statistics). */
export function speedCategory(connectors: readonly JsonObject[]): SpeedCategory {
  let highest: number | undefined;
  for (const connector of connectors) {
    const watts = connectorWatts(connector);
    if (watts !== undefined && (highest === undefined || watts > highest)) highest = watts;
  }
  if (highest === undefined) return 'unknown';
  if (highest < 8000) return 'slow';
  if (highest < 50000) return 'fast';
  if (highest < 150000) return 'rapid';
  return 'ultra-rapid';
}
