/** Counters produced by the transform; names are part of the output contract (manifest, report). */
export interface TransformStats {
  /** Objects in the top-level ChargeDevice array. */
  devicesSeen: number;
  devicesKept: number;
  droppedNoModel: number;
  /** Array elements that are not objects (null, number, string, array, boolean). */
  malformedRecords: number;
  /** Devices skipped because a field the transform reads holds a value longer than 64 KiB. */
  oversizedRecords: number;
  /** Among kept devices: */
  postcodeMissing: number;
  postcodeInvalid: number;
  postcodeNormalized: number;
  monthMissing: number;
  /** Data rows in the CSV. */
  rows: number;
}

export function emptyStats(): TransformStats {
  return {
    devicesSeen: 0,
    devicesKept: 0,
    droppedNoModel: 0,
    malformedRecords: 0,
    oversizedRecords: 0,
    postcodeMissing: 0,
    postcodeInvalid: 0,
    postcodeNormalized: 0,
    monthMissing: 0,
    rows: 0,
  };
}
