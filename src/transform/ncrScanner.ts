import { PayloadError, TruncatedPayloadError } from '../domain/errors';
import {
  SPACE,
  QUOTE,
  COMMA,
  MINUS,
  PLUS,
  POINT,
  DIGIT_0,
  COLON,
  UPPER_E,
  OPEN_BRACKET,
  BACKSLASH,
  CLOSE_BRACKET,
  LOWER_E,
  LOWER_F,
  LOWER_N,
  LOWER_T,
  LOWER_U,
  OPEN_BRACE,
  CLOSE_BRACE,
  BOM,
  isWhitespace,
  isDigit,
  isHexDigit,
  isSimpleEscape,
  bytesEqual,
  findStringStop,
  decodeString,
} from './jsonBytes';
import { DeviceFastPath, MORE } from './ncrDeviceFastPath';
import { MAX_CAPTURED_STRING_BYTES, NCR_KEYS, type FieldValue, type TextFieldValue } from './ncrFields';
import { isOversizedValue, MAX_FIELD_BYTES, OVERSIZED_VALUE } from './rules';

/** Receives the devices of the top-level ChargeDevice array; DeviceAggregator implements it. */
export interface DeviceSink {
  /**
   * Field values as JSON.parse would give them; undefined when absent, null for any non-string,
   * non-number value, OVERSIZED_VALUE for one longer than MAX_FIELD_BYTES (see rules.ts).
   */
  addDevice(
    manufacturer: unknown,
    locationType: unknown,
    model: unknown,
    postcode: unknown,
    dateUpdated: unknown,
  ): void;
  /** An array element that is not an object. */
  addMalformed(): void;
  /** Called when a top-level ChargeDevice key starts: a later duplicate key replaces the earlier value entirely. */
  reset(): void;
}

/*
 * A resumable byte-level JSON scanner for registry payloads. It validates the whole
 * grammar as JSON.parse would (of the UTF-8 decoded text) but only materialises the
 * five device fields it needs, so memory stays bounded whatever the payload size.
 * Chunks may split the input anywhere: every piece of state lives on the instance,
 * and a value being captured is copied to a scratch buffer when a chunk ends inside it.
 *
 * Byte offsets in errors count bytes of the decoded (gunzipped) stream, including
 * any UTF-8 byte order mark.
 *
 * A value of a field that is read is captured only while it may still be at most
 * MAX_FIELD_BYTES long; a longer one becomes OVERSIZED_VALUE and is skipped like any
 * other value, so no single value can make memory grow with the payload either.
 *
 * Invalid UTF-8 needs no handling here: JSON.parse of Buffer.toString('utf8') sees
 * U+FFFD, which is valid inside strings and invalid outside them, exactly like the
 * non-ASCII bytes themselves; captured values are decoded with Buffer.toString.
 */

const enum State {
  BomSecondByte,
  BomThirdByte,
  Value,
  ValueOrArrayEnd,
  KeyOrObjectEnd,
  Key,
  Colon,
  AfterValue,
  Done,
  String,
  StringEscape,
  StringUnicode,
  NumberMinus,
  NumberZero,
  NumberInteger,
  NumberPoint,
  NumberFraction,
  NumberExponent,
  NumberExponentSign,
  NumberExponentDigits,
  Literal,
}

/** What an open container is, so keys and elements can be given a meaning. */
const enum Role {
  Root,
  Devices,
  Device,
  Location,
  Address,
  OtherObject,
  OtherArray,
}

/** What the value about to be read means; the device fields come last (>= Manufacturer). */
const enum Target {
  None,
  Document,
  Devices,
  Device,
  Location,
  Address,
  Manufacturer,
  LocationType,
  Model,
  DateUpdated,
  PostCode,
}

/** How the bytes of the current string are treated. */
const enum StringRole {
  SkippedValue,
  SkippedKey,
  CapturedKey,
  CapturedValue,
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function isStringState(state: State): boolean {
  return state === State.String || state === State.StringEscape || state === State.StringUnicode;
}

function isObjectRole(role: Role): boolean {
  return role !== Role.Devices && role !== Role.OtherArray;
}

interface KnownKey {
  text: string;
  bytes: Buffer;
  target: Target;
}

interface KnownKeys {
  keys: KnownKey[];
  /** The keys indexed by their UTF-8 length. */
  byLength: (KnownKey[] | undefined)[];
}

function knownKeys(entries: [string, Target][]): KnownKeys {
  const keys = entries.map(([text, target]) => ({ text, bytes: Buffer.from(text), target }));
  const byLength: KnownKey[][] = [];
  for (const key of keys) (byLength[key.bytes.length] ??= []).push(key);
  return { keys, byLength };
}

/** The keys that matter, per kind of object; every other key's value is only validated. */
const KNOWN_KEYS: KnownKeys[] = [];
KNOWN_KEYS[Role.Root] = knownKeys([[NCR_KEYS.devices, Target.Devices]]);
KNOWN_KEYS[Role.Device] = knownKeys([
  [NCR_KEYS.manufacturer, Target.Manufacturer],
  [NCR_KEYS.locationType, Target.LocationType],
  [NCR_KEYS.model, Target.Model],
  [NCR_KEYS.dateUpdated, Target.DateUpdated],
  [NCR_KEYS.location, Target.Location],
]);
KNOWN_KEYS[Role.Location] = knownKeys([[NCR_KEYS.address, Target.Address]]);
KNOWN_KEYS[Role.Address] = knownKeys([[NCR_KEYS.postcode, Target.PostCode]]);

/** KNOWN_KEY_LENGTH[role * KEY_LENGTH_STRIDE + length] is 1 when a known key of that role has that UTF-8 length. */
const KEY_LENGTH_STRIDE = 1 + Math.max(...KNOWN_KEYS.flatMap((known) => known.keys.map((key) => key.bytes.length)));
const KNOWN_KEY_LENGTH = new Uint8Array(KEY_LENGTH_STRIDE * (Role.OtherArray + 1));
KNOWN_KEYS.forEach((known, role) => {
  for (const key of known.keys) KNOWN_KEY_LENGTH[role * KEY_LENGTH_STRIDE + key.bytes.length] = 1;
});

/** A key longer than this (six bytes per character, as in \u0041) cannot be one of the known keys. */
const MAX_KNOWN_KEY_BYTES = 6 * Math.max(...KNOWN_KEYS.flatMap((known) => known.keys.map((key) => key.text.length)));
/**
 * A device cut by a chunk's end is carried over to the next chunk, so the fast path
 * reads it whatever the chunk size; a longer one is read byte by byte instead.
 */
const MAX_CARRIED_DEVICE_BYTES = 256 * 1024;
/** How much of the next chunk is copied after a carried device to finish it; one that goes on further is read with the whole chunk. */
const CARRY_LOOKAHEAD_BYTES = 64 * 1024;
/** How many top-level key names to keep for the "no ChargeDevice key" message. */
const TOP_LEVEL_KEYS_REPORTED = 10;

function describeByte(c: number): string {
  return c > SPACE && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** The kind of JSON value a byte starts, for "not a registry payload" messages. */
function describeValueStart(c: number): string {
  if (c === OPEN_BRACE) return 'an object';
  if (c === OPEN_BRACKET) return 'an array';
  if (c === QUOTE) return 'a string';
  if (c === LOWER_T) return 'true';
  if (c === LOWER_F) return 'false';
  if (c === LOWER_N) return 'null';
  return 'a number';
}

export class NcrScanner {
  private state = State.Value;
  /** Bytes consumed before the current chunk. */
  private offset = 0;
  private started = false;

  private roles = new Uint8Array(64);
  private depth = 0;
  /** Facts about the innermost open container, kept for the hot path. */
  private topRole = Role.Root;
  private inObject = false;
  private keysMatter = false;
  private target = Target.Document;

  private stringRole = StringRole.SkippedValue;
  private hasEscape = false;
  private hexDigitsLeft = 0;
  private literal = TRUE;
  private literalIndex = 0;

  /** Capture of the current key, string value or number: where it starts in the chunk, and its spill-over. */
  private capturing = false;
  private captureStart = 0;
  private captureTarget = Target.None;
  private spilled = false;
  private scratch = Buffer.allocUnsafe(256);
  private scratchLength = 0;

  /** The current device's fields: undefined when absent, null when neither string nor number. */
  private manufacturer: FieldValue;
  private locationType: FieldValue;
  private model: FieldValue;
  private dateUpdated: TextFieldValue;
  private postcode: TextFieldValue;

  /** What the last top-level ChargeDevice value was ("an array" when usable); undefined when there was none. */
  private devicesKind: string | undefined;
  private topLevelKeys: string[] = [];

  private readonly fastPath = new DeviceFastPath();
  private fastPathEnd = 0;
  /** The bytes of a device that the last chunk ended inside, from its '{'. */
  private carried: Buffer | undefined;
  /** Whether this scan may carry a device over to the next one (not when end() reads the last carried device). */
  private mayCarry = true;
  /** Devices that start before this index of the current chunk were carried over to it already. */
  private uncarriedFrom = 0;

  constructor(private readonly sink: DeviceSink) {}

  /** Scans the next piece of the payload; throws PayloadError at the first invalid byte. */
  write(piece: Buffer): void {
    this.scan(piece, true);
  }

  private scan(piece: Buffer, mayCarry: boolean): void {
    let chunk = piece;
    let i = 0;
    let state = this.state;
    this.uncarriedFrom = 0;
    const carried = this.carried;
    if (carried !== undefined) {
      this.carried = undefined;
      // The carried device with the start of this piece, copied apart: most devices end within it.
      const head = Buffer.concat([carried, piece.subarray(0, CARRY_LOOKAHEAD_BYTES)]);
      if (mayCarry && this.scanWholeDevice(head, 0) && this.fastPathEnd !== MORE) {
        this.offset += carried.length;
        i = this.fastPathEnd - carried.length;
        state = State.AfterValue;
      } else {
        // Read with the whole piece behind it, and not carried again: a device is carried once at most, so
        // pieces smaller than it cannot make the copies grow with the square of its size.
        chunk = Buffer.concat([carried, piece]);
        this.uncarriedFrom = 1;
      }
      this.fastPath.release();
    }
    this.mayCarry = mayCarry;
    const n = chunk.length;
    if (!this.started && n > 0) {
      this.started = true;
      if (chunk[0] === BOM[0]) {
        state = State.BomSecondByte;
        i = 1;
      }
    }
    if (this.capturing) this.captureStart = 0;
    const view = new DataView(chunk.buffer, chunk.byteOffset, n);

    while (i < n) {
      switch (state) {
        case State.String: {
          // The hot path: string contents, and the `: "value"` and `, "key"` that
          // usually follow a string, handled here without going round the switch.
          for (;;) {
            i = findStringStop(chunk, view, i, n);
            if (i === n) break;
            const c = chunk[i];
            if (c !== QUOTE) {
              if (c !== BACKSLASH) throw this.syntaxError(i, 'control characters to be escaped inside a string', c);
              this.hasEscape = true;
              state = State.StringEscape;
              i++;
              break;
            }
            const role = this.stringRole;
            const isKey = role === StringRole.SkippedKey || role === StringRole.CapturedKey;
            if (role === StringRole.CapturedValue) {
              this.endCapturedString(chunk, i);
            } else if (role === StringRole.CapturedKey) {
              const length = i - this.captureStart;
              // Most keys of a device have no known key's length: rejected without a call.
              // Top-level keys always go through matchKey, which records them for messages.
              const mayBeKnown =
                length < KEY_LENGTH_STRIDE && KNOWN_KEY_LENGTH[this.topRole * KEY_LENGTH_STRIDE + length] === 1;
              if (mayBeKnown || this.spilled || this.hasEscape || this.depth === 1) {
                this.endCapturedString(chunk, i);
              } else {
                this.capturing = false;
              }
            }
            i++;
            while (i < n && isWhitespace(chunk[i])) i++;
            if (isKey) {
              state = State.Colon;
              if (i === n || chunk[i] !== COLON) break;
              state = State.Value;
              i++;
              while (i < n && isWhitespace(chunk[i])) i++;
              if (i === n || chunk[i] !== QUOTE || this.target !== Target.None) break;
              this.stringRole = StringRole.SkippedValue;
            } else {
              state = State.AfterValue;
              if (i === n || chunk[i] !== COMMA || !this.inObject) break;
              state = State.Key;
              i++;
              while (i < n && isWhitespace(chunk[i])) i++;
              if (i === n || chunk[i] !== QUOTE) break;
              this.startKey(i);
            }
            this.hasEscape = false;
            state = State.String;
            i++;
          }
          break;
        }
        case State.AfterValue: {
          let c = chunk[i];
          while (isWhitespace(c)) {
            if (++i === n) break;
            c = chunk[i];
          }
          if (i === n) break;
          if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            state = this.closeContainer(c, i);
            i++;
            break;
          }
          if (c !== COMMA) throw this.syntaxError(i, this.expectedAfterValue(), c);
          i++;
          if (!this.inObject) {
            this.target = (this.roles[this.depth - 1] as Role) === Role.Devices ? Target.Device : Target.None;
            state = State.Value;
            break;
          }
          // Straight on to the next key when it is in this chunk.
          state = State.Key;
          while (i < n && isWhitespace(chunk[i])) i++;
          if (i === n || chunk[i] !== QUOTE) break;
          this.startKey(i);
          state = State.String;
          i++;
          break;
        }
        case State.Key:
        case State.KeyOrObjectEnd: {
          let c = chunk[i];
          while (isWhitespace(c)) {
            if (++i === n) break;
            c = chunk[i];
          }
          if (i === n) break;
          if (c === QUOTE) {
            this.startKey(i);
            state = State.String;
          } else if (c === CLOSE_BRACE && state === State.KeyOrObjectEnd) {
            state = this.closeContainer(c, i);
          } else {
            throw this.syntaxError(i, state === State.Key ? "'\"' starting a key" : "'\"' starting a key or '}'", c);
          }
          i++;
          break;
        }
        case State.Colon: {
          let c = chunk[i];
          while (isWhitespace(c)) {
            if (++i === n) break;
            c = chunk[i];
          }
          if (i === n) break;
          if (c !== COLON) throw this.syntaxError(i, "':' after a key", c);
          state = State.Value;
          i++;
          break;
        }
        case State.Value:
        case State.ValueOrArrayEnd: {
          let c = chunk[i];
          while (isWhitespace(c)) {
            if (++i === n) break;
            c = chunk[i];
          }
          if (i === n) break;
          if (c === CLOSE_BRACKET && state === State.ValueOrArrayEnd) {
            this.target = Target.None;
            state = this.closeContainer(c, i);
          } else if (c === OPEN_BRACE && this.target === Target.Device && this.scanWholeDevice(chunk, i)) {
            if (this.fastPathEnd === MORE) {
              // The device goes on in the next chunk: keep its bytes until then (see scanWholeDevice).
              this.carried = Buffer.from(chunk.subarray(i));
              this.state = state;
              this.fastPath.release();
              this.offset += i;
              return;
            }
            i = this.fastPathEnd;
            state = State.AfterValue;
            break;
          } else {
            state = this.startValue(c, i, state === State.ValueOrArrayEnd ? "a value or ']'" : 'a value');
          }
          i++;
          break;
        }
        case State.Literal: {
          const literal = this.literal;
          let k = this.literalIndex;
          while (i < n && k < literal.length) {
            const c = chunk[i];
            if (c !== literal[k])
              throw this.syntaxError(i, `'${String.fromCharCode(literal[k])}' of ${literal.toString()}`, c);
            i++;
            k++;
          }
          this.literalIndex = k;
          if (k === literal.length) state = State.AfterValue;
          break;
        }
        default:
          i = this.scanRareState(chunk, i, state);
          state = this.state;
          break;
      }
    }

    this.state = state;
    if (this.capturing) {
      const isKey = this.captureTarget === Target.None;
      const length = this.scratchLength + (n - this.captureStart);
      if (isKey && length > MAX_KNOWN_KEY_BYTES) {
        // Too long to be a known key: stop copying it and let it be skipped.
        this.capturing = false;
        this.stringRole = StringRole.SkippedKey;
        this.spilled = false;
        this.scratchLength = 0;
      } else if (!isKey && length > (isStringState(state) ? MAX_CAPTURED_STRING_BYTES : MAX_FIELD_BYTES)) {
        // Too long to hold: stop copying it, and let the rest of it be skipped.
        this.abandonCapture(isStringState(state));
      } else {
        this.spill(chunk, this.captureStart, n);
      }
    }
    this.fastPath.release();
    this.offset += n;
  }

  /**
   * The states that hold few of a registry payload's bytes (escapes, numbers, the
   * byte order mark, whitespace after the document), one step at a time. They live
   * outside write() to keep its loop small: V8 then optimizes it sooner and more
   * cheaply, and the first escape or number met does not deoptimize it (about 15%
   * off a cold 100k-device transform). Sets this.state; returns the next index.
   */
  private scanRareState(chunk: Buffer, i: number, state: State): number {
    const n = chunk.length;
    switch (state) {
      case State.StringEscape: {
        const c = chunk[i];
        if (c === LOWER_U) {
          this.hexDigitsLeft = 4;
          state = State.StringUnicode;
        } else if (isSimpleEscape(c)) {
          state = State.String;
        } else {
          throw this.syntaxError(i, 'an escape sequence (one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)', c);
        }
        i++;
        break;
      }
      case State.StringUnicode: {
        const c = chunk[i];
        if (!isHexDigit(c)) throw this.syntaxError(i, 'a hexadecimal digit in a \\u escape', c);
        if (--this.hexDigitsLeft === 0) state = State.String;
        i++;
        break;
      }
      case State.NumberMinus: {
        const c = chunk[i];
        if (c === DIGIT_0) state = State.NumberZero;
        else if (isDigit(c)) state = State.NumberInteger;
        else throw this.syntaxError(i, "a digit after '-'", c);
        i++;
        break;
      }
      case State.NumberZero: {
        const c = chunk[i];
        if (c === POINT) state = State.NumberPoint;
        else if (c === LOWER_E || c === UPPER_E) state = State.NumberExponent;
        else {
          state = this.endNumber(chunk, i);
          break;
        }
        i++;
        break;
      }
      case State.NumberInteger:
      case State.NumberFraction:
      case State.NumberExponentDigits: {
        let c = chunk[i];
        while (isDigit(c)) {
          if (++i === n) break;
          c = chunk[i];
        }
        if (i === n) break;
        if (c === POINT && state === State.NumberInteger) state = State.NumberPoint;
        else if ((c === LOWER_E || c === UPPER_E) && state !== State.NumberExponentDigits) state = State.NumberExponent;
        else {
          state = this.endNumber(chunk, i);
          break;
        }
        i++;
        break;
      }
      case State.NumberPoint: {
        const c = chunk[i];
        if (!isDigit(c)) throw this.syntaxError(i, "a digit after '.'", c);
        state = State.NumberFraction;
        i++;
        break;
      }
      case State.NumberExponent: {
        const c = chunk[i];
        if (c === PLUS || c === MINUS) state = State.NumberExponentSign;
        else if (isDigit(c)) state = State.NumberExponentDigits;
        else throw this.syntaxError(i, 'a sign or digit in the exponent', c);
        i++;
        break;
      }
      case State.NumberExponentSign: {
        const c = chunk[i];
        if (!isDigit(c)) throw this.syntaxError(i, 'a digit in the exponent', c);
        state = State.NumberExponentDigits;
        i++;
        break;
      }
      case State.Done: {
        const c = chunk[i];
        if (!isWhitespace(c)) throw this.syntaxError(i, 'only whitespace after the JSON document', c);
        i++;
        break;
      }
      case State.BomSecondByte:
      case State.BomThirdByte: {
        const expected = BOM[state === State.BomSecondByte ? 1 : 2];
        const c = chunk[i];
        if (c !== expected)
          throw this.syntaxError(i, `${describeByte(expected)} completing the UTF-8 byte order mark`, c);
        state = state === State.BomSecondByte ? State.BomThirdByte : State.Value;
        i++;
        break;
      }
    }
    this.state = state;
    return i;
  }

  /**
   * A device that lies wholly in this chunk, read by the fast path (see
   * ncrDeviceFastPath.ts): true when it did, its end in fastPathEnd, or when the
   * device goes on in the next chunk and is to be carried over to it (fastPathEnd
   * is MORE); false, with nothing changed, when the device is to be read byte by byte.
   */
  private scanWholeDevice(chunk: Buffer, start: number): boolean {
    const fast = this.fastPath;
    const end = fast.scan(chunk, start);
    if (
      end === MORE &&
      this.mayCarry &&
      start >= this.uncarriedFrom &&
      chunk.length - start <= MAX_CARRIED_DEVICE_BYTES
    ) {
      this.fastPathEnd = MORE;
      return true;
    }
    if (end < 0) return false;
    this.target = Target.None;
    this.fastPathEnd = end;
    this.sink.addDevice(fast.manufacturer, fast.locationType, fast.model, fast.postcode, fast.dateUpdated);
    return true;
  }

  /** Checks the document is complete and is a registry payload; throws otherwise. */
  end(): void {
    // A device cut off by the end of the payload: the slow path says where and how.
    if (this.carried !== undefined) this.scan(Buffer.alloc(0), false);
    const state = this.state;
    if (state !== State.Done) {
      const where = !this.started ? 'the payload is empty' : `the payload ends early at byte ${this.offset}`;
      throw new TruncatedPayloadError(`${where}: ${this.expectationAtEnd(state)}`, { byteOffset: this.offset });
    }
    if (this.devicesKind === undefined) {
      const found =
        this.topLevelKeys.length === 0
          ? 'no keys'
          : `keys ${this.topLevelKeys.map((key) => JSON.stringify(key)).join(', ')}`;
      throw new PayloadError(`not a registry payload: no top-level ChargeDevice key (found ${found})`);
    }
    if (this.devicesKind !== 'an array') {
      throw new PayloadError(`not a registry payload: ChargeDevice is ${this.devicesKind}, expected an array`);
    }
  }

  private startKey(quoteIndex: number): void {
    this.hasEscape = false;
    if (this.keysMatter) {
      this.stringRole = StringRole.CapturedKey;
      this.startCapture(quoteIndex + 1, Target.None);
    } else {
      this.stringRole = StringRole.SkippedKey;
    }
  }

  /** Applies the meaning of a value that begins with byte `c`; returns the state that reads the rest of it. */
  private startValue(c: number, i: number, expected: string): State {
    const target = this.target;
    this.target = Target.None;
    if (target === Target.Document && c !== OPEN_BRACE) throw this.documentNotAnObject(c, i);
    switch (c) {
      case OPEN_BRACE:
        this.openObject(target);
        return State.KeyOrObjectEnd;
      case OPEN_BRACKET:
        this.openArray(target, c);
        return State.ValueOrArrayEnd;
      case QUOTE:
        this.hasEscape = false;
        if (target >= Target.Manufacturer) {
          this.stringRole = StringRole.CapturedValue;
          this.startCapture(i + 1, target);
        } else {
          this.stringRole = StringRole.SkippedValue;
          this.otherValue(target, c);
        }
        return State.String;
      case LOWER_T:
      case LOWER_F:
      case LOWER_N:
        this.otherValue(target, c);
        this.literal = c === LOWER_T ? TRUE : c === LOWER_F ? FALSE : NULL;
        this.literalIndex = 1;
        return State.Literal;
      default:
        if (c !== MINUS && !isDigit(c)) throw this.syntaxError(i, expected, c);
        if (target === Target.Manufacturer || target === Target.LocationType || target === Target.Model) {
          this.startCapture(i, target);
        } else {
          this.otherValue(target, c);
        }
        return c === MINUS ? State.NumberMinus : c === DIGIT_0 ? State.NumberZero : State.NumberInteger;
    }
  }

  private openObject(target: Target): void {
    let role = Role.OtherObject;
    switch (target) {
      case Target.Document:
        role = Role.Root;
        break;
      case Target.Device:
        role = Role.Device;
        this.manufacturer = undefined;
        this.locationType = undefined;
        this.model = undefined;
        this.dateUpdated = undefined;
        this.postcode = undefined;
        break;
      case Target.Location:
        role = Role.Location;
        this.postcode = undefined;
        break;
      case Target.Address:
        role = Role.Address;
        this.postcode = undefined;
        break;
      default:
        this.otherValue(target, OPEN_BRACE);
    }
    this.push(role);
  }

  private openArray(target: Target, c: number): void {
    if (target === Target.Devices) {
      this.sink.reset();
      this.devicesKind = 'an array';
      this.push(Role.Devices);
      this.target = Target.Device;
    } else {
      this.otherValue(target, c);
      this.push(Role.OtherArray);
    }
  }

  /** The effect of a value that is not captured and does not open a known container. */
  private otherValue(target: Target, firstByte: number): void {
    switch (target) {
      case Target.None:
        return;
      case Target.Devices:
        this.sink.reset();
        this.devicesKind = describeValueStart(firstByte);
        return;
      case Target.Device:
        this.sink.addMalformed();
        return;
      case Target.Location:
      case Target.Address:
        this.postcode = undefined;
        return;
      default:
        this.assignField(target, null);
    }
  }

  /** The value being captured is too long: it counts as OVERSIZED_VALUE and the rest of it is skipped. */
  private abandonCapture(inString: boolean): void {
    this.capturing = false;
    this.spilled = false;
    this.scratchLength = 0;
    // A number keeps its number states, which skip it once nothing is captured.
    if (inString) this.stringRole = StringRole.SkippedValue;
    this.assignField(this.captureTarget, OVERSIZED_VALUE);
  }

  private assignField(target: Target, value: string | number | null | typeof OVERSIZED_VALUE): void {
    switch (target) {
      case Target.Manufacturer:
        this.manufacturer = value;
        break;
      case Target.LocationType:
        this.locationType = value;
        break;
      case Target.Model:
        this.model = value;
        break;
      case Target.DateUpdated:
        this.dateUpdated = typeof value === 'string' || value === OVERSIZED_VALUE ? value : null;
        break;
      case Target.PostCode:
        this.postcode = typeof value === 'string' || value === OVERSIZED_VALUE ? value : null;
        break;
    }
  }

  private push(role: Role): void {
    if (this.depth === this.roles.length) {
      const grown = new Uint8Array(this.roles.length * 2);
      grown.set(this.roles);
      this.roles = grown;
    }
    this.roles[this.depth++] = role;
    this.topChanged(role);
  }

  private topChanged(role: Role): void {
    this.topRole = role;
    this.inObject = isObjectRole(role);
    this.keysMatter = role === Role.Root || role === Role.Device || role === Role.Location || role === Role.Address;
  }

  private closeContainer(c: number, i: number): State {
    const role = this.roles[this.depth - 1] as Role;
    if (this.inObject !== (c === CLOSE_BRACE)) throw this.syntaxError(i, this.expectedAfterValue(), c);
    this.depth--;
    if (this.depth > 0) this.topChanged(this.roles[this.depth - 1]);
    if (role === Role.Device) {
      this.sink.addDevice(this.manufacturer, this.locationType, this.model, this.postcode, this.dateUpdated);
    }
    return this.depth === 0 ? State.Done : State.AfterValue;
  }

  private expectedAfterValue(): string {
    return this.inObject ? "',' or '}'" : "',' or ']'";
  }

  private startCapture(start: number, target: Target): void {
    this.capturing = true;
    this.captureStart = start;
    this.captureTarget = target;
  }

  /** Keeps the part of a capture that lies in a chunk about to be released. */
  private spill(chunk: Buffer, start: number, end: number): void {
    this.spilled = true;
    const length = this.scratchLength + (end - start);
    if (length > this.scratch.length) {
      const grown = Buffer.allocUnsafe(Math.max(length, this.scratch.length * 2));
      this.scratch.copy(grown, 0, 0, this.scratchLength);
      this.scratch = grown;
    }
    chunk.copy(this.scratch, this.scratchLength, start, end);
    this.scratchLength = length;
  }

  /** At the closing quote (index i) of a captured key or value: gives it its meaning. */
  private endCapturedString(chunk: Buffer, i: number): void {
    if (
      this.stringRole === StringRole.CapturedValue &&
      this.scratchLength + (i - this.captureStart) > MAX_CAPTURED_STRING_BYTES
    ) {
      this.abandonCapture(true);
      return;
    }
    this.capturing = false;
    let buffer = chunk;
    let start = this.captureStart;
    let end = i;
    if (this.spilled) {
      this.spill(chunk, start, end);
      buffer = this.scratch;
      start = 0;
      end = this.scratchLength;
      this.spilled = false;
      this.scratchLength = 0;
    }
    if (this.stringRole === StringRole.CapturedKey) {
      this.target = this.matchKey(buffer, start, end);
    } else {
      const value = decodeString(buffer, start, end, this.hasEscape);
      this.assignField(this.captureTarget, isOversizedValue(value) ? OVERSIZED_VALUE : value);
    }
  }

  /** At the byte after a number (index i, not consumed). */
  private endNumber(chunk: Buffer, i: number): State {
    if (!this.capturing) return State.AfterValue;
    if (this.scratchLength + (i - this.captureStart) > MAX_FIELD_BYTES) {
      this.abandonCapture(false);
      return State.AfterValue;
    }
    this.capturing = false;
    let buffer = chunk;
    let start = this.captureStart;
    let end = i;
    if (this.spilled) {
      this.spill(chunk, start, end);
      buffer = this.scratch;
      start = 0;
      end = this.scratchLength;
      this.spilled = false;
      this.scratchLength = 0;
    }
    this.assignField(this.captureTarget, Number(buffer.toString('latin1', start, end)));
    return State.AfterValue;
  }

  private matchKey(buffer: Buffer, start: number, end: number): Target {
    const role = this.roles[this.depth - 1] as Role;
    const length = end - start;
    if (role === Role.Root && this.topLevelKeys.length < TOP_LEVEL_KEYS_REPORTED && length <= MAX_KNOWN_KEY_BYTES) {
      this.topLevelKeys.push(decodeString(buffer, start, end, this.hasEscape));
    }
    const known = KNOWN_KEYS[role];
    if (this.hasEscape) {
      if (length > MAX_KNOWN_KEY_BYTES) return Target.None;
      const key = decodeString(buffer, start, end, true);
      for (const candidate of known.keys) if (candidate.text === key) return candidate.target;
      return Target.None;
    }
    // Most keys are rejected by their length alone.
    const candidates = known.byLength[length];
    if (candidates !== undefined) {
      for (const candidate of candidates) if (bytesEqual(buffer, start, end, candidate.bytes)) return candidate.target;
    }
    return Target.None;
  }

  /** Fails fast: no later byte can make a document that is not an object a registry payload. */
  private documentNotAnObject(c: number, i: number): PayloadError {
    const startsValue =
      c === OPEN_BRACKET || c === QUOTE || c === LOWER_T || c === LOWER_F || c === LOWER_N || c === MINUS || isDigit(c);
    if (!startsValue) return this.syntaxError(i, 'a JSON object', c);
    return new PayloadError(`not a registry payload: the document is ${describeValueStart(c)}, expected an object`, {
      byteOffset: this.offset + i,
    });
  }

  private syntaxError(i: number, expected: string, found: number): PayloadError {
    const byteOffset = this.offset + i;
    return new PayloadError(`invalid JSON at byte ${byteOffset}: expected ${expected}, found ${describeByte(found)}`, {
      byteOffset,
    });
  }

  private expectationAtEnd(state: State): string {
    switch (state) {
      case State.BomSecondByte:
      case State.BomThirdByte:
        return 'expected the rest of the UTF-8 byte order mark';
      case State.Value:
        return this.depth === 0 ? 'expected a JSON document' : 'expected a value';
      case State.ValueOrArrayEnd:
        return "expected a value or ']'";
      case State.KeyOrObjectEnd:
        return "expected a key or '}'";
      case State.Key:
        return 'expected a key';
      case State.Colon:
        return "expected ':' after a key";
      case State.AfterValue:
        return `expected ${this.expectedAfterValue()}`;
      case State.String:
      case State.StringEscape:
      case State.StringUnicode:
        return 'inside a string';
      case State.Literal:
        return `inside ${this.literal.toString()}`;
      default:
        return 'inside a number';
    }
  }
}
