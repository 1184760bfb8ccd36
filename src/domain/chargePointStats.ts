/**
 * Counters of the open-data (OCPI) transform behind charge_points_UK.csv; the names
 * and their order are part of the output contract (issue 10).
 */
export interface ChargePointStats {
  /** Location objects in the Location arrays. */
  locationsSeen: number;
  /** Locations with `publish: false`. */
  locationsUnpublished: number;
  /** Locations whose `country` names another country than GBR/GB. */
  locationsOutsideUk: number;
  /** EVSE objects of the Locations not skipped. */
  evsesSeen: number;
  /** EVSEs with status REMOVED. */
  evsesRemoved: number;
  /** EVSEs whose (country_code, party_id, id, uid) key was counted before. */
  duplicatesDropped: number;
  evsesKept: number;
  /** Location and EVSE array elements that are not objects. */
  malformedRecords: number;
  /** Among kept EVSEs: */
  postcodeMissing: number;
  postcodeInvalid: number;
  postcodeNormalized: number;
  speedUnknown: number;
  monthMissing: number;
  /** Data rows in the CSV. */
  rows: number;
}

export function emptyChargePointStats(): ChargePointStats {
  return {
    locationsSeen: 0,
    locationsUnpublished: 0,
    locationsOutsideUk: 0,
    evsesSeen: 0,
    evsesRemoved: 0,
    duplicatesDropped: 0,
    evsesKept: 0,
    malformedRecords: 0,
    postcodeMissing: 0,
    postcodeInvalid: 0,
    postcodeNormalized: 0,
    speedUnknown: 0,
    monthMissing: 0,
    rows: 0,
  };
}

/** Adds every counter of `more` to `total`. */
export function addChargePointStats(total: ChargePointStats, more: ChargePointStats): void {
  for (const name of Object.keys(total) as (keyof ChargePointStats)[]) total[name] += more[name];
}
