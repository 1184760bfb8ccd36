import type { Random } from './random';

/** The five fields the transform reads, as the generator means them: clean, trimmed text. */
export interface CleanFields {
  manufacturer: string;
  locationType: string;
  model: string;
  /** A valid postcode written canonically, "TW6 2RQ". */
  postcode: string;
  /** "YYYY-MM-DD HH:MM:SS". */
  dateUpdated: string;
  /** "YYYY-MM", the month of dateUpdated. */
  month: string;
}

/** The values written to the payload; `undefined` leaves the key out. */
export interface RawFields {
  manufacturer: unknown;
  locationType: unknown;
  model: unknown;
  postcode: unknown;
  dateUpdated: unknown;
}

export type PostcodeOutcome = 'valid' | 'invalid' | 'missing';

/**
 * What the CSV contract makes of a device, written down by the generator from what
 * it meant rather than computed by the transform's rules: the expected aggregate
 * built from these is an independent oracle for payloads too large to JSON.parse.
 */
export interface ExpectedDevice {
  /** False when the device has no model and is dropped. */
  kept: boolean;
  manufacturer: string;
  locationType: string;
  model: string;
  postcode: string;
  postcodeOutcome: PostcodeOutcome;
  /** The PostCode column differs from the raw string (counted for kept devices with a postcode). */
  postcodeNormalized: boolean;
  month: string;
}

export const EDGE_CASES = [
  'postcodeLowercase',
  'postcodeUnspaced',
  'postcodeNbsp',
  'postcodePadded',
  'postcodeInvalid',
  'postcodeBlank',
  'postcodeNull',
  'postcodeNumeric',
  'postcodeAbsent',
  'manufacturerNull',
  'manufacturerNumeric',
  'manufacturerPadded',
  'locationTypeNull',
  'modelAbsent',
  'modelNull',
  'modelBlank',
  'modelNumeric',
  'modelPadded',
  'dateAbsent',
  'dateNull',
  'dateNotADate',
] as const;

export type EdgeCase = (typeof EDGE_CASES)[number];

/** Text that is not a postcode, with what the PostCode column must show for it. */
const NOT_POSTCODES: readonly { raw: string; column: string }[] = [
  { raw: ' n/a ', column: 'N/A' },
  { raw: 'Unknown', column: 'UNKNOWN' },
  { raw: 'BT1', column: 'BT1' },
  { raw: 'see   notes', column: 'SEE NOTES' },
  { raw: '0000', column: '0000' },
  { raw: 'ZZ99  9ZZZ', column: 'ZZ99 9ZZZ' },
];

/** Numbers in text fields, with the text JavaScript prints for them. */
const NUMBERS: readonly { value: number; text: string }[] = [
  { value: 3, text: '3' },
  { value: 0, text: '0' },
  { value: 12.5, text: '12.5' },
  { value: 1e21, text: '1e+21' },
];

const NOT_DATES = ['n/a', '', '18/02/2020 07:09', '0000'];

/** The fields of a device without an edge case, and what the CSV makes of them. */
export function regularDevice(clean: CleanFields): { raw: RawFields; expected: ExpectedDevice } {
  return {
    raw: { ...clean },
    expected: {
      kept: true,
      manufacturer: clean.manufacturer,
      locationType: clean.locationType,
      model: clean.model,
      postcode: clean.postcode,
      postcodeOutcome: 'valid',
      postcodeNormalized: false,
      month: clean.month,
    },
  };
}

/** A device with one irregular field, and what the CSV contract makes of it. */
export function edgeCaseDevice(
  edgeCase: EdgeCase,
  clean: CleanFields,
  random: Random,
): { raw: RawFields; expected: ExpectedDevice } {
  const { raw, expected } = regularDevice(clean);
  const [outward, inward] = clean.postcode.split(' ');
  const missingPostcode = (value: unknown): void => {
    raw.postcode = value;
    expected.postcode = '';
    expected.postcodeOutcome = 'missing';
  };
  const reshapedPostcode = (value: string): void => {
    raw.postcode = value;
    expected.postcodeNormalized = true;
  };
  const dropped = (value: unknown): void => {
    raw.model = value;
    expected.kept = false;
  };
  switch (edgeCase) {
    case 'postcodeLowercase':
      reshapedPostcode(clean.postcode.toLowerCase());
      break;
    case 'postcodeUnspaced':
      reshapedPostcode(outward + inward);
      break;
    case 'postcodeNbsp':
      reshapedPostcode(`${outward}\u00a0${inward}`);
      break;
    case 'postcodePadded':
      reshapedPostcode(` ${outward.toLowerCase()}  ${inward}\t`);
      break;
    case 'postcodeInvalid': {
      const text = random.pick(NOT_POSTCODES);
      raw.postcode = text.raw;
      expected.postcode = text.column;
      expected.postcodeOutcome = 'invalid';
      expected.postcodeNormalized = text.raw !== text.column;
      break;
    }
    case 'postcodeBlank':
      missingPostcode(random.pick(['', '   ']));
      break;
    case 'postcodeNull':
      missingPostcode(null);
      break;
    case 'postcodeNumeric':
      missingPostcode(random.between(1000, 99999));
      break;
    case 'postcodeAbsent':
      missingPostcode(undefined);
      break;
    case 'manufacturerNull':
      raw.manufacturer = null;
      expected.manufacturer = '';
      break;
    case 'manufacturerNumeric': {
      const number = random.pick(NUMBERS);
      raw.manufacturer = number.value;
      expected.manufacturer = number.text;
      break;
    }
    case 'manufacturerPadded':
      raw.manufacturer = `  ${clean.manufacturer}\t`;
      break;
    case 'locationTypeNull':
      raw.locationType = null;
      expected.locationType = '';
      break;
    case 'modelAbsent':
      dropped(undefined);
      break;
    case 'modelNull':
      dropped(null);
      break;
    case 'modelBlank':
      dropped(random.pick(['', '  ']));
      break;
    case 'modelNumeric': {
      const number = random.pick(NUMBERS);
      raw.model = number.value;
      expected.model = number.text;
      break;
    }
    case 'modelPadded':
      raw.model = ` ${clean.model}  `;
      break;
    case 'dateAbsent':
      raw.dateUpdated = undefined;
      expected.month = '';
      break;
    case 'dateNull':
      raw.dateUpdated = null;
      expected.month = '';
      break;
    case 'dateNotADate':
      raw.dateUpdated = random.pick(NOT_DATES);
      expected.month = '';
      break;
  }
  return { raw, expected };
}
