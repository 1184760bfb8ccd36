/**
 * The per-field rules of the CSV contract. Inputs are the values JSON.parse would
 * produce for a field (or undefined when it is absent); both the streaming scanner
 * and the reference implementation feed these same functions.
 */

/**
 * The longest value of a field the transform reads, in UTF-8 bytes of the decoded text:
 * far beyond any real manufacturer, model or postcode, and small enough that holding
 * one never matters. A device with a longer value is skipped as oversized.
 */
export const MAX_FIELD_BYTES = 64 * 1024;

/** Stands in for a read field's value that is longer than MAX_FIELD_BYTES and was never materialised. */
export const OVERSIZED_VALUE: unique symbol = Symbol('oversized field value');

/** True for a value (as JSON.parse gives it) that the streaming scanner would report as OVERSIZED_VALUE. */
export function isOversizedValue(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length > MAX_FIELD_BYTES / 3 &&
    Buffer.byteLength(value, 'utf8') > MAX_FIELD_BYTES
  );
}

/** Manufacturer, location type and model: trimmed strings, numbers as JavaScript prints them, anything else empty. */
export function deviceText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

export type PostcodeStatus = 'missing' | 'valid' | 'invalid';

export interface NormalizedPostcode {
  /** What goes in the PostCode column ("" when missing). */
  text: string;
  status: PostcodeStatus;
}

const MISSING_POSTCODE: NormalizedPostcode = { text: '', status: 'missing' };
const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/;
/** A valid postcode already written the way normalizePostcode writes it (the usual case). */
const CANONICAL_UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/;
const ALL_WHITESPACE = /\s+/g;

/**
 * Valid UK postcodes are written compactly with one space before the inward code
 * (`tw62rq` → `TW6 2RQ`); other non-blank text is kept, uppercased and with its
 * whitespace tidied, so the raw value stays visible in the CSV.
 */
export function normalizePostcode(raw: unknown): NormalizedPostcode {
  if (typeof raw !== 'string') return MISSING_POSTCODE;
  if (CANONICAL_UK_POSTCODE.test(raw)) return { text: raw, status: 'valid' };
  if (raw.trim() === '') return MISSING_POSTCODE;
  const upper = raw.toUpperCase();
  const compact = upper.replace(ALL_WHITESPACE, '');
  if (UK_POSTCODE.test(compact)) {
    return { text: `${compact.slice(0, -3)} ${compact.slice(-3)}`, status: 'valid' };
  }
  return { text: upper.trim().replace(ALL_WHITESPACE, ' '), status: 'invalid' };
}

/** The postcode counters of both datasets' stats, counted per kept record. */
export interface PostcodeCounts {
  postcodeMissing: number;
  postcodeInvalid: number;
  postcodeNormalized: number;
}

/** Counts one kept record's postcode: `raw` is the source value, `postcode` what normalizePostcode made of it. */
export function countPostcode(counts: PostcodeCounts, raw: unknown, postcode: NormalizedPostcode): void {
  if (postcode.status === 'missing') counts.postcodeMissing++;
  else {
    if (postcode.status === 'invalid') counts.postcodeInvalid++;
    if (postcode.text !== raw) counts.postcodeNormalized++;
  }
}

const MONTH_PREFIX = /^\d{4}-\d{2}/;

/** "YYYY-MM" from a DateUpdated such as "2020-02-18 07:09:30"; "" when it does not start that way. */
export function monthUpdated(value: unknown): string {
  return typeof value === 'string' && MONTH_PREFIX.test(value) ? value.slice(0, 7) : '';
}
