/** Byte-level helpers shared by the registry scanner and its whole-device fast path. */

export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const MINUS = 0x2d;
export const PLUS = 0x2b;
export const POINT = 0x2e;
export const SLASH = 0x2f;
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;
export const COLON = 0x3a;
export const UPPER_E = 0x45;
export const OPEN_BRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const CLOSE_BRACKET = 0x5d;
export const LOWER_B = 0x62;
export const LOWER_E = 0x65;
export const LOWER_F = 0x66;
export const LOWER_N = 0x6e;
export const LOWER_R = 0x72;
export const LOWER_T = 0x74;
export const LOWER_U = 0x75;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const BOM = [0xef, 0xbb, 0xbf];

export function isWhitespace(c: number): boolean {
  return c <= SPACE && (c === SPACE || c === LF || c === CR || c === TAB);
}

export function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

export function isHexDigit(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

export function isSimpleEscape(c: number): boolean {
  return (
    c === QUOTE ||
    c === BACKSLASH ||
    c === SLASH ||
    c === LOWER_B ||
    c === LOWER_F ||
    c === LOWER_N ||
    c === LOWER_R ||
    c === LOWER_T
  );
}

export function bytesEqual(buffer: Buffer, start: number, end: number, expected: Buffer): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) if (buffer[start + k] !== expected[k]) return false;
  return true;
}

/**
 * The index of the first '"', '\\' or control byte at or after i in chunk, or n.
 * Most of a payload is string content, so it tests four bytes at a time (SWAR),
 * read little-endian through `view` so that byte i is the lowest: a byte equal to
 * b gives a zero byte in x ^ bbbb, (y - 0x01010101) & ~y & 0x80808080 flags the
 * zero bytes of y, and (x - 0x20202020) & ~x & 0x80808080 the bytes below 0x20.
 * Borrows only spill upwards, so the lowest flag marks the first such byte.
 */
export function findStringStop(chunk: Buffer, view: DataView, i: number, n: number): number {
  while (i + 4 <= n) {
    const x = view.getInt32(i, true);
    const quote = x ^ 0x22222222;
    const backslash = x ^ 0x5c5c5c5c;
    const flags =
      (((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash) | ((x - 0x20202020) & ~x)) &
      0x80808080;
    if (flags !== 0) return i + ((31 - Math.clz32(flags & -flags)) >> 3);
    i += 4;
  }
  while (i < n) {
    const c = chunk[i];
    if (c === QUOTE || c === BACKSLASH || c < SPACE) return i;
    i++;
  }
  return n;
}

/** A string's content bytes decoded exactly as JSON.parse decodes them (escapes, lone surrogates). */
export function decodeString(buffer: Buffer, start: number, end: number, hasEscape: boolean): string {
  const raw = buffer.toString('utf8', start, end);
  return hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw;
}
