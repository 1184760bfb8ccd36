import { MAX_FIELD_BYTES, type OVERSIZED_VALUE } from './rules';

/** The registry keys the transform reads: the scanner and its whole-device fast path match the same names. */
export const NCR_KEYS = {
  devices: 'ChargeDevice',
  manufacturer: 'ChargeDeviceManufacturer',
  locationType: 'LocationType',
  model: 'ChargeDeviceModel',
  dateUpdated: 'DateUpdated',
  location: 'ChargeDeviceLocation',
  address: 'Address',
  postcode: 'PostCode',
} as const;

/**
 * A captured string of more raw bytes than this decodes to more than MAX_FIELD_BYTES UTF-8
 * bytes: no character is written with more than six bytes (\u0041), and none decodes to
 * less than one. Shorter ones are decoded and measured.
 */
export const MAX_CAPTURED_STRING_BYTES = 6 * MAX_FIELD_BYTES;

/** A captured device field: see DeviceSink.addDevice. */
export type FieldValue = string | number | null | undefined | typeof OVERSIZED_VALUE;
/** DateUpdated and PostCode: a number counts as null. */
export type TextFieldValue = string | null | undefined | typeof OVERSIZED_VALUE;
