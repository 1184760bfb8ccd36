// The whole-device fast path of the registry scanner, in WebAssembly.
// See src/transform/ncrDeviceFastPath.ts for what it does and why it may bail.

const BAIL: i32 = -1;
/** Returned when the input ends inside the device: with more of it, the device may still be read here. */
const MORE: i32 = -2;
const MAX_DEPTH: i32 = 32;
const MAX_CAPTURED_STRING_BYTES: i32 = 6 * 65536;
const MAX_NUMBER_BYTES: i32 = 65536;

// Field records: kind, start, end (offsets from the input's start), five of them.
const KIND_ABSENT: i32 = 0;
const KIND_STRING: i32 = 1;
const KIND_ESCAPED_STRING: i32 = 2;
const KIND_NUMBER: i32 = 3;
const KIND_OTHER: i32 = 4;
const FIELD_MANUFACTURER: i32 = 0;
const FIELD_LOCATION_TYPE: i32 = 1;
const FIELD_MODEL: i32 = 2;
const FIELD_DATE_UPDATED: i32 = 3;
const FIELD_POSTCODE: i32 = 4;
const FIELD_LOCATION: i32 = 5;
const FIELD_ADDRESS: i32 = 6;
const FIELD_NONE: i32 = 7;

const LEVEL_DEVICE: i32 = 0;
const LEVEL_LOCATION: i32 = 1;
const LEVEL_ADDRESS: i32 = 2;
const LEVEL_NONE: i32 = 3;

const RESULT: usize = memory.data(64);
// The keys of NCR_KEYS in src/transform/ncrFields.ts, as UTF-8 bytes (test/unit/transform-device-fast-path.test.ts
// builds its devices from NCR_KEYS, so the two cannot drift apart unnoticed).
const KEY_MANUFACTURER: usize = memory.data<u8>([
  67, 104, 97, 114, 103, 101, 68, 101, 118, 105, 99, 101, 77, 97, 110, 117, 102, 97, 99, 116, 117, 114, 101, 114,
]);
const KEY_LOCATION_TYPE: usize = memory.data<u8>([76, 111, 99, 97, 116, 105, 111, 110, 84, 121, 112, 101]);
const KEY_MODEL: usize = memory.data<u8>([
  67, 104, 97, 114, 103, 101, 68, 101, 118, 105, 99, 101, 77, 111, 100, 101, 108,
]);
const KEY_DATE_UPDATED: usize = memory.data<u8>([68, 97, 116, 101, 85, 112, 100, 97, 116, 101, 100]);
const KEY_LOCATION: usize = memory.data<u8>([
  67, 104, 97, 114, 103, 101, 68, 101, 118, 105, 99, 101, 76, 111, 99, 97, 116, 105, 111, 110,
]);
const KEY_ADDRESS: usize = memory.data<u8>([65, 100, 100, 114, 101, 115, 115]);
const KEY_POSTCODE: usize = memory.data<u8>([80, 111, 115, 116, 67, 111, 100, 101]);
const LITERAL_TRUE: usize = memory.data<u8>([116, 114, 117, 101]);
const LITERAL_FALSE: usize = memory.data<u8>([102, 97, 108, 115, 101]);
const LITERAL_NULL: usize = memory.data<u8>([110, 117, 108, 108]);

let base: usize = 0;
let limit: i32 = 0;
let sawEscape: bool = false;

export function resultPointer(): usize {
  return RESULT;
}

export function inputPointer(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Room for `bytes` of input and 16 bytes of slack for the last vector load; false when memory cannot grow. */
export function reserve(bytes: i32): bool {
  const need = inputPointer() + <usize>bytes + 16;
  const have = (<usize>memory.size()) << 16;
  return need <= have || memory.grow(<i32>((need - have + 0xffff) >> 16)) >= 0;
}

function byteAt(i: i32): i32 {
  return <i32>load<u8>(base + <usize>i);
}

function isWhitespace(c: i32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

function isDigit(c: i32): bool {
  return <u32>(c - 0x30) < 10;
}

function skipWhitespace(i: i32): i32 {
  while (i < limit && isWhitespace(byteAt(i))) i++;
  return i;
}

function setField(field: i32, kind: i32, start: i32, end: i32): void {
  const p = RESULT + <usize>(field * 12);
  store<i32>(p, kind);
  store<i32>(p, start, 4);
  store<i32>(p, end, 8);
}

/** Reads the device object whose '{' is at `start` of `length` input bytes: the index after its '}', BAIL or MORE. */
export function scanDevice(start: i32, length: i32): i32 {
  base = inputPointer();
  limit = length;
  for (let f = 0; f < 5; f++) setField(f, KIND_ABSENT, 0, 0);
  return object(start, LEVEL_DEVICE, 0);
}

/** The first '"', '\\' or control byte at or after i (16 at a time), or limit. */
function stringStop(i: i32): i32 {
  const quote = i8x16.splat(0x22);
  const backslash = i8x16.splat(0x5c);
  const space = i8x16.splat(0x20);
  while (i < limit) {
    const v = v128.load(base + <usize>i);
    const hits = v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, space));
    const mask = i8x16.bitmask(hits);
    if (mask != 0) {
      const at = i + <i32>ctz(mask);
      return at < limit ? at : limit;
    }
    i += 16;
  }
  return limit;
}

function keysEqual(start: i32, end: i32, key: usize, keyLength: i32): bool {
  if (end - start != keyLength) return false;
  return memory.compare(base + <usize>start, key, <usize>keyLength) == 0;
}

function keyField(level: i32, start: i32, end: i32): i32 {
  if (level == LEVEL_DEVICE) {
    const length = end - start;
    if (length == 24) return keysEqual(start, end, KEY_MANUFACTURER, 24) ? FIELD_MANUFACTURER : FIELD_NONE;
    if (length == 12) return keysEqual(start, end, KEY_LOCATION_TYPE, 12) ? FIELD_LOCATION_TYPE : FIELD_NONE;
    if (length == 17) return keysEqual(start, end, KEY_MODEL, 17) ? FIELD_MODEL : FIELD_NONE;
    if (length == 11) return keysEqual(start, end, KEY_DATE_UPDATED, 11) ? FIELD_DATE_UPDATED : FIELD_NONE;
    if (length == 20) return keysEqual(start, end, KEY_LOCATION, 20) ? FIELD_LOCATION : FIELD_NONE;
    return FIELD_NONE;
  }
  if (level == LEVEL_LOCATION) return keysEqual(start, end, KEY_ADDRESS, 7) ? FIELD_ADDRESS : FIELD_NONE;
  return keysEqual(start, end, KEY_POSTCODE, 8) ? FIELD_POSTCODE : FIELD_NONE;
}

function fieldValue(i: i32, field: i32): i32 {
  const c = byteAt(i);
  if (field == FIELD_LOCATION || field == FIELD_ADDRESS) {
    setField(FIELD_POSTCODE, KIND_ABSENT, 0, 0);
    if (c == 0x7b) return object(i, field == FIELD_LOCATION ? LEVEL_LOCATION : LEVEL_ADDRESS, 0);
    return value(i, 0);
  }
  if (c == 0x22) {
    const end = string(i);
    if (end < 0) return end;
    if (end - i - 2 > MAX_CAPTURED_STRING_BYTES) return BAIL;
    setField(field, sawEscape ? KIND_ESCAPED_STRING : KIND_STRING, i + 1, end - 1);
    return end;
  }
  if (c == 0x2d || isDigit(c)) {
    const end = number(i);
    if (end < 0) return end;
    if (end - i > MAX_NUMBER_BYTES) return BAIL;
    setField(field, KIND_NUMBER, i, end);
    return end;
  }
  const end = value(i, 0);
  if (end >= 0) setField(field, KIND_OTHER, 0, 0);
  return end;
}

function value(i: i32, depth: i32): i32 {
  const c = byteAt(i);
  if (c == 0x22) return string(i);
  if (c == 0x7b) return depth < MAX_DEPTH ? object(i, LEVEL_NONE, depth + 1) : BAIL;
  if (c == 0x5b) return depth < MAX_DEPTH ? array(i, depth + 1) : BAIL;
  if (c == 0x74) return literal(i, LITERAL_TRUE, 4);
  if (c == 0x66) return literal(i, LITERAL_FALSE, 5);
  if (c == 0x6e) return literal(i, LITERAL_NULL, 4);
  if (c == 0x2d || isDigit(c)) return number(i);
  return BAIL;
}

/** A literal at i; MORE only when the bytes there so far agree with it. */
function literal(i: i32, literal: usize, length: i32): i32 {
  const available = min(length, limit - i);
  for (let k = 0; k < available; k++) if (byteAt(i + k) != <i32>load<u8>(literal + <usize>k)) return BAIL;
  return available < length ? MORE : i + length;
}

/**
 * An object, '{' at i: the device, its location or its address (`level`), whose keys are matched, or any
 * other (LEVEL_NONE), only validated; `depth` counts the containers around it.
 */
function object(i: i32, level: i32, depth: i32): i32 {
  i = skipWhitespace(i + 1);
  if (i >= limit) return MORE;
  if (byteAt(i) == 0x7d) return i + 1;
  while (true) {
    if (byteAt(i) != 0x22) return BAIL;
    let field = FIELD_NONE;
    if (level == LEVEL_NONE) {
      i = string(i);
      if (i < 0) return i;
    } else {
      // A key that may matter is matched as it stands; an escaped one is left to the scanner to decode.
      const keyStart = i + 1;
      const keyEnd = stringStop(keyStart);
      if (keyEnd >= limit) return MORE;
      if (byteAt(keyEnd) != 0x22) return BAIL;
      field = keyField(level, keyStart, keyEnd);
      i = keyEnd + 1;
    }
    i = skipWhitespace(i);
    if (i >= limit) return MORE;
    if (byteAt(i) != 0x3a) return BAIL;
    i = skipWhitespace(i + 1);
    if (i >= limit) return MORE;
    i = field == FIELD_NONE ? value(i, depth) : fieldValue(i, field);
    if (i < 0) return i;
    i = skipWhitespace(i);
    if (i >= limit) return MORE;
    const c = byteAt(i);
    if (c == 0x7d) return i + 1;
    if (c != 0x2c) return BAIL;
    i = skipWhitespace(i + 1);
    if (i >= limit) return MORE;
  }
}

function array(i: i32, depth: i32): i32 {
  i = skipWhitespace(i + 1);
  if (i >= limit) return MORE;
  if (byteAt(i) == 0x5d) return i + 1;
  while (true) {
    i = value(i, depth);
    if (i < 0) return i;
    i = skipWhitespace(i);
    if (i >= limit) return MORE;
    const c = byteAt(i);
    if (c == 0x5d) return i + 1;
    if (c != 0x2c) return BAIL;
    i = skipWhitespace(i + 1);
    if (i >= limit) return MORE;
  }
}

function isHexDigit(c: i32): bool {
  return isDigit(c) || <u32>((c | 0x20) - 0x61) < 6;
}

/** A string, '"' at i: the index after its closing quote; sawEscape tells whether it had an escape. */
function string(i: i32): i32 {
  sawEscape = false;
  i++;
  while (true) {
    i = stringStop(i);
    if (i >= limit) return MORE;
    const c = byteAt(i);
    if (c == 0x22) return i + 1;
    if (c != 0x5c) return BAIL;
    if (i + 1 >= limit) return MORE;
    sawEscape = true;
    const e = byteAt(i + 1);
    if (e == 0x75) {
      const end = min(i + 6, limit);
      for (let k = i + 2; k < end; k++) if (!isHexDigit(byteAt(k))) return BAIL;
      if (end < i + 6) return MORE;
      i += 6;
    } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
      i += 2;
    } else {
      return BAIL;
    }
  }
}

/** A number at i (JSON's grammar); MORE when it may go on past the input. */
function number(i: i32): i32 {
  if (byteAt(i) == 0x2d) i++;
  if (i >= limit) return MORE;
  if (byteAt(i) == 0x30) i++;
  else if (isDigit(byteAt(i))) while (i < limit && isDigit(byteAt(i))) i++;
  else return BAIL;
  if (i < limit && byteAt(i) == 0x2e) {
    i++;
    if (i >= limit) return MORE;
    if (!isDigit(byteAt(i))) return BAIL;
    while (i < limit && isDigit(byteAt(i))) i++;
  }
  if (i < limit && (byteAt(i) | 0x20) == 0x65) {
    i++;
    if (i < limit && (byteAt(i) == 0x2b || byteAt(i) == 0x2d)) i++;
    if (i >= limit) return MORE;
    if (!isDigit(byteAt(i))) return BAIL;
    while (i < limit && isDigit(byteAt(i))) i++;
  }
  // A number may go on in the bytes that follow.
  return i < limit ? i : MORE;
}
