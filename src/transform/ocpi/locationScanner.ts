import { PayloadError, TruncatedPayloadError } from '../../domain/errors';
import type { LocationArrayPath } from '../../domain/feed';

/** Receives the elements of one candidate Location array; LocationBatch implements it. */
export interface LocationSink {
  /** One array element, as JSON.parse gives it. */
  addLocation(location: unknown): void;
}

/*
 * Finds the Location array in an open-data response body and hands over its
 * elements one at a time, each parsed with JSON.parse, while reading the body in
 * chunks split anywhere. It validates the whole body as JSON.parse would (of the
 * UTF-8 decoded text, after an optional byte order mark) without building it:
 * memory is one element at most (MAX_ELEMENT_BYTES), not the body.
 *
 * Which array holds the Locations depends on the whole body (issue 10, "Fetching a
 * feed"): the body itself if it is an array, else `data`, `locations`,
 * `data.locations.data`, `data.locations`, whichever is an array first, with
 * JSON.parse's rule that a repeated key's last value wins. So every candidate
 * array gets a sink of its own from `openArray` as it starts, a repeated key
 * drops the sinks below it, and end() names the sink that won: the caller keeps
 * each sink's effects apart until then.
 *
 * Invalid UTF-8 needs no handling: outside strings any non-ASCII byte is a syntax
 * error either way, and inside strings the bytes are decoded with
 * Buffer.toString, as the whole body would be (U+FFFD never swallows a quote).
 */

/** The largest Location element (or top-level status value) read; a larger one fails the page. */
export const MAX_ELEMENT_BYTES = 16 * 1024 * 1024;

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

/** What an open container is. */
const enum Role {
  Root,
  Data,
  DataLocations,
  LocationArray,
  OtherObject,
  OtherArray,
}

/** Where a Location array may be, in order of preference. */
const enum Slot {
  Body,
  Data,
  Locations,
  DataLocationsData,
  DataLocations,
}
const SLOT_COUNT = 5;
const SLOT_PATHS: Record<Slot, LocationArrayPath> = {
  [Slot.Body]: 'body',
  [Slot.Data]: 'data',
  [Slot.Locations]: 'locations',
  [Slot.DataLocationsData]: 'data.locations.data',
  [Slot.DataLocations]: 'data.locations',
};

/** What the value about to be read is; the captured ones (parsed with JSON.parse) come last. */
const enum Target {
  None,
  Document,
  Data,
  Locations,
  DataLocations,
  DataLocationsData,
  StatusCode,
  StatusMessage,
  Location,
}

/** The slots a value at a target may fill: a repeated key empties them first. */
const SLOTS_REPLACED: Partial<Record<Target, Slot[]>> = {
  [Target.Data]: [Slot.Data, Slot.DataLocationsData, Slot.DataLocations],
  [Target.Locations]: [Slot.Locations],
  [Target.DataLocations]: [Slot.DataLocationsData, Slot.DataLocations],
  [Target.DataLocationsData]: [Slot.DataLocationsData],
};

const ARRAY_SLOT: Partial<Record<Target, Slot>> = {
  [Target.Document]: Slot.Body,
  [Target.Data]: Slot.Data,
  [Target.Locations]: Slot.Locations,
  [Target.DataLocations]: Slot.DataLocations,
  [Target.DataLocationsData]: Slot.DataLocationsData,
};

const OBJECT_ROLE: Partial<Record<Target, Role>> = {
  [Target.Document]: Role.Root,
  [Target.Data]: Role.Data,
  [Target.DataLocations]: Role.DataLocations,
};

/** The keys that matter in the objects that matter. */
const KEYS: Partial<Record<Role, Record<string, Target>>> = {
  [Role.Root]: {
    data: Target.Data,
    locations: Target.Locations,
    status_code: Target.StatusCode,
    status_message: Target.StatusMessage,
  },
  [Role.Data]: { locations: Target.DataLocations },
  [Role.DataLocations]: { data: Target.DataLocationsData },
};

/** How many top-level key names to keep for the "no Location array" message. */
const TOP_LEVEL_KEYS_REPORTED = 10;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const POINT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const BOM = [0xef, 0xbb, 0xbf];
const SIMPLE_ESCAPES = new Set([...'"\\/bfnrt'].map((char) => char.charCodeAt(0)));

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function describeByte(c: number): string {
  return c > SPACE && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** The kind of JSON value a byte starts. */
function describeValueStart(c: number): string {
  if (c === OPEN_BRACE) return 'an object';
  if (c === OPEN_BRACKET) return 'an array';
  if (c === QUOTE) return 'a string';
  if (c === LOWER_T) return 'true';
  if (c === LOWER_F) return 'false';
  if (c === LOWER_N) return 'null';
  return 'a number';
}

export class LocationScanner<Sink extends LocationSink> {
  private state = State.Value;
  /** Bytes consumed before the current chunk. */
  private offset = 0;
  private started = false;

  private roles: Role[] = [];
  private target = Target.Document;
  private stringIsKey = false;
  /** The current key is one of an object that matters, being captured to be matched. */
  private keyCaptured = false;
  private hasEscape = false;
  private hexDigitsLeft = 0;
  private literal = TRUE;
  private literalIndex = 0;

  /** The value or key being copied for JSON.parse: where it starts in the chunk, and the copies of earlier chunks. */
  private capturing = false;
  private captureTarget = Target.None;
  private captureDepth = 0;
  private captureStart = 0;
  private captureOffset = 0;
  private captureParts: Buffer[] = [];
  private capturedBytes = 0;

  private readonly slots: (Sink | undefined)[] = new Array<Sink | undefined>(SLOT_COUNT);
  private openSlot: Slot | undefined;
  private openSink: Sink | undefined;

  /** undefined while the body is an object or not yet started; else what it is. */
  private documentKind: string | undefined;
  private statusCode: unknown;
  private statusMessage: unknown;
  private topLevelKeys: string[] = [];

  /** @param openArray gives the sink for each candidate Location array, as it starts, told where that array is. */
  constructor(private readonly openArray: (path: LocationArrayPath) => Sink) {}

  /** Scans the next piece of the body; throws PayloadError at the first invalid byte. */
  write(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (chunk[0] === BOM[0]) {
        this.state = State.BomSecondByte;
        i = 1;
      }
    }
    if (this.capturing) this.captureStart = 0;
    while (i < n) i = this.step(chunk, i);
    if (this.capturing) this.keepCaptured(chunk, this.captureStart, n);
    this.offset += n;
  }

  /**
   * Checks the body is complete, that a numeric top-level `status_code` is within
   * 1000–1999, and that it has a Location array; returns the sink of that array.
   */
  end(): Sink {
    if (this.roles.length === 0 && this.isNumberEnd(this.state)) this.state = State.Done;
    if (this.state !== State.Done) {
      const where = !this.started ? 'the body is empty' : `the body ends early at byte ${this.offset}`;
      throw new TruncatedPayloadError(`${where}: ${this.expectationAtEnd()}`, { byteOffset: this.offset });
    }
    if (typeof this.statusCode === 'number' && (this.statusCode < 1000 || this.statusCode > 1999)) {
      const message = typeof this.statusMessage === 'string' ? `: ${this.statusMessage}` : ' (no status_message)';
      throw new PayloadError(`the feed answered OCPI status_code ${this.statusCode}${message}`);
    }
    const sink = this.slots.find((candidate) => candidate !== undefined);
    if (sink !== undefined) return sink;
    if (this.documentKind !== undefined) {
      throw new PayloadError(
        `no Location array: the body is ${this.documentKind}, expected an array or an object holding one`,
      );
    }
    const found =
      this.topLevelKeys.length === 0
        ? 'no keys'
        : `keys ${this.topLevelKeys.map((key) => JSON.stringify(key)).join(', ')}`;
    throw new PayloadError(
      `no Location array in the body: none of data, locations, data.locations.data or data.locations is an array (found ${found})`,
    );
  }

  /** Consumes what it can of the chunk from index i; returns the next index. */
  private step(chunk: Buffer, i: number): number {
    const c = chunk[i];
    switch (this.state) {
      case State.String: {
        const n = chunk.length;
        let j = i;
        while (j < n) {
          const d = chunk[j];
          if (d === QUOTE || d === BACKSLASH || d < SPACE) break;
          j++;
        }
        if (j === n) return n;
        const d = chunk[j];
        if (d === QUOTE) this.endString(chunk, j);
        else if (d === BACKSLASH) {
          this.hasEscape = true;
          this.state = State.StringEscape;
        } else throw this.syntaxError(j, 'control characters to be escaped inside a string', d);
        return j + 1;
      }
      case State.Value:
      case State.ValueOrArrayEnd:
        if (isWhitespace(c)) return i + 1;
        if (c === CLOSE_BRACKET && this.state === State.ValueOrArrayEnd) {
          this.target = Target.None;
          this.closeContainer(chunk, i, c);
        } else {
          this.startValue(c, i);
        }
        return i + 1;
      case State.Key:
      case State.KeyOrObjectEnd:
        if (isWhitespace(c)) return i + 1;
        if (c === QUOTE) this.startKey(i);
        else if (c === CLOSE_BRACE && this.state === State.KeyOrObjectEnd) this.closeContainer(chunk, i, c);
        else
          throw this.syntaxError(i, this.state === State.Key ? "'\"' starting a key" : "'\"' starting a key or '}'", c);
        return i + 1;
      case State.Colon:
        if (isWhitespace(c)) return i + 1;
        if (c !== COLON) throw this.syntaxError(i, "':' after a key", c);
        this.state = State.Value;
        return i + 1;
      case State.AfterValue:
        if (isWhitespace(c)) return i + 1;
        if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          this.closeContainer(chunk, i, c);
        } else if (c !== COMMA) {
          throw this.syntaxError(i, this.expectedAfterValue(), c);
        } else if (this.inObject()) {
          this.state = State.Key;
        } else {
          this.state = State.Value;
          this.target = this.topRole() === Role.LocationArray ? Target.Location : Target.None;
        }
        return i + 1;
      case State.StringEscape:
        if (c === LOWER_U) {
          this.hexDigitsLeft = 4;
          this.state = State.StringUnicode;
        } else if (SIMPLE_ESCAPES.has(c)) {
          this.state = State.String;
        } else {
          throw this.syntaxError(i, 'an escape sequence (one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)', c);
        }
        return i + 1;
      case State.StringUnicode:
        if (!isHexDigit(c)) throw this.syntaxError(i, 'a hexadecimal digit in a \\u escape', c);
        if (--this.hexDigitsLeft === 0) this.state = State.String;
        return i + 1;
      case State.Literal: {
        const literal = this.literal;
        if (c !== literal[this.literalIndex]) {
          throw this.syntaxError(i, `'${String.fromCharCode(literal[this.literalIndex])}' of ${literal.toString()}`, c);
        }
        if (++this.literalIndex === literal.length) this.valueEnded(chunk, i + 1);
        return i + 1;
      }
      case State.NumberMinus:
        if (!isDigit(c)) throw this.syntaxError(i, "a digit after '-'", c);
        this.state = c === DIGIT_0 ? State.NumberZero : State.NumberInteger;
        return i + 1;
      case State.NumberZero:
      case State.NumberInteger:
      case State.NumberFraction:
      case State.NumberExponentDigits:
        if (isDigit(c) && this.state !== State.NumberZero) return i + 1;
        if (c === POINT && (this.state === State.NumberZero || this.state === State.NumberInteger)) {
          this.state = State.NumberPoint;
          return i + 1;
        }
        if ((c === LOWER_E || c === UPPER_E) && this.state !== State.NumberExponentDigits) {
          this.state = State.NumberExponent;
          return i + 1;
        }
        // The byte after the number belongs to what follows: not consumed.
        this.valueEnded(chunk, i);
        return i;
      case State.NumberPoint:
        if (!isDigit(c)) throw this.syntaxError(i, "a digit after '.'", c);
        this.state = State.NumberFraction;
        return i + 1;
      case State.NumberExponent:
        if (c === PLUS || c === MINUS) this.state = State.NumberExponentSign;
        else if (isDigit(c)) this.state = State.NumberExponentDigits;
        else throw this.syntaxError(i, 'a sign or digit in the exponent', c);
        return i + 1;
      case State.NumberExponentSign:
        if (!isDigit(c)) throw this.syntaxError(i, 'a digit in the exponent', c);
        this.state = State.NumberExponentDigits;
        return i + 1;
      case State.Done:
        if (!isWhitespace(c)) throw this.syntaxError(i, 'only whitespace after the JSON document', c);
        return i + 1;
      case State.BomSecondByte:
      case State.BomThirdByte: {
        const second = this.state === State.BomSecondByte;
        const expected = BOM[second ? 1 : 2];
        if (c !== expected)
          throw this.syntaxError(i, `${describeByte(expected)} completing the UTF-8 byte order mark`, c);
        this.state = second ? State.BomThirdByte : State.Value;
        return i + 1;
      }
    }
  }

  private isNumberEnd(state: State): boolean {
    return (
      state === State.NumberZero ||
      state === State.NumberInteger ||
      state === State.NumberFraction ||
      state === State.NumberExponentDigits
    );
  }

  private topRole(): Role | undefined {
    return this.roles[this.roles.length - 1];
  }

  private inObject(): boolean {
    const role = this.topRole();
    return role !== undefined && role !== Role.LocationArray && role !== Role.OtherArray;
  }

  /** Applies the meaning of a value that begins with byte `c` at index i. */
  private startValue(c: number, i: number): void {
    const target = this.target;
    this.target = Target.None;
    for (const slot of SLOTS_REPLACED[target] ?? []) this.slots[slot] = undefined;
    if (target >= Target.StatusCode) this.startCapture(i, target);
    switch (c) {
      case OPEN_BRACE:
        this.roles.push(OBJECT_ROLE[target] ?? Role.OtherObject);
        this.state = State.KeyOrObjectEnd;
        return;
      case OPEN_BRACKET: {
        const slot = ARRAY_SLOT[target];
        if (slot === undefined) {
          this.roles.push(Role.OtherArray);
        } else {
          this.roles.push(Role.LocationArray);
          this.openSlot = slot;
          this.openSink = this.openArray(SLOT_PATHS[slot]);
          this.target = Target.Location;
        }
        this.state = State.ValueOrArrayEnd;
        return;
      }
      case QUOTE:
        this.stringIsKey = false;
        this.hasEscape = false;
        this.state = State.String;
        break;
      case LOWER_T:
      case LOWER_F:
      case LOWER_N:
        this.literal = c === LOWER_T ? TRUE : c === LOWER_F ? FALSE : NULL;
        this.literalIndex = 1;
        this.state = State.Literal;
        break;
      default:
        if (c !== MINUS && !isDigit(c)) {
          throw this.syntaxError(i, this.state === State.ValueOrArrayEnd ? "a value or ']'" : 'a value', c);
        }
        this.state = c === MINUS ? State.NumberMinus : c === DIGIT_0 ? State.NumberZero : State.NumberInteger;
    }
    if (target === Target.Document) this.documentKind = describeValueStart(c);
  }

  private startKey(quoteIndex: number): void {
    this.stringIsKey = true;
    this.hasEscape = false;
    this.state = State.String;
    this.keyCaptured = KEYS[this.topRole()!] !== undefined;
    if (this.keyCaptured) this.startCapture(quoteIndex + 1, Target.None);
  }

  /** At the closing quote (index i) of a string. */
  private endString(chunk: Buffer, i: number): void {
    if (!this.stringIsKey) {
      this.valueEnded(chunk, i + 1);
      return;
    }
    this.state = State.Colon;
    if (this.keyCaptured) this.target = this.matchKey(this.decodeKey(this.takeCaptured(chunk, i)));
  }

  private matchKey(key: string): Target {
    const role = this.topRole()!;
    if (role === Role.Root && this.topLevelKeys.length < TOP_LEVEL_KEYS_REPORTED && !this.topLevelKeys.includes(key)) {
      this.topLevelKeys.push(key);
    }
    const known = KEYS[role]!;
    return Object.hasOwn(known, key) ? known[key] : Target.None;
  }

  private decodeKey(bytes: Buffer): string {
    const raw = bytes.toString('utf8');
    return this.hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  /** Any value just ended, `end` being the index after its last byte. */
  private valueEnded(chunk: Buffer, end: number): void {
    this.state = this.roles.length === 0 ? State.Done : State.AfterValue;
    if (!this.capturing || this.roles.length !== this.captureDepth) return;
    const target = this.captureTarget;
    const value: unknown = JSON.parse(this.takeCaptured(chunk, end).toString('utf8'));
    if (target === Target.Location) this.openSink!.addLocation(value);
    else if (target === Target.StatusCode) this.statusCode = value;
    else this.statusMessage = value;
  }

  private closeContainer(chunk: Buffer, i: number, c: number): void {
    if (this.inObject() !== (c === CLOSE_BRACE)) throw this.syntaxError(i, this.expectedAfterValue(), c);
    if (this.roles.pop() === Role.LocationArray) {
      this.slots[this.openSlot!] = this.openSink;
      this.openSink = undefined;
    }
    this.valueEnded(chunk, i + 1);
  }

  private startCapture(start: number, target: Target): void {
    this.capturing = true;
    this.captureTarget = target;
    this.captureDepth = this.roles.length;
    this.captureStart = start;
    this.captureOffset = this.offset + start;
    this.captureParts = [];
    this.capturedBytes = 0;
  }

  /** Copies the part of a capture in a chunk about to be released. */
  private keepCaptured(chunk: Buffer, start: number, end: number): void {
    this.checkCaptureSize(end - start);
    if (end > start) this.captureParts.push(Buffer.from(chunk.subarray(start, end)));
    this.capturedBytes += end - start;
  }

  /** The captured bytes up to index `end` of the chunk; the capture is over. */
  private takeCaptured(chunk: Buffer, end: number): Buffer {
    this.capturing = false;
    this.checkCaptureSize(end - this.captureStart);
    const last = chunk.subarray(this.captureStart, end);
    const parts = this.captureParts;
    this.captureParts = [];
    return parts.length === 0 ? last : Buffer.concat([...parts, last]);
  }

  private checkCaptureSize(more: number): void {
    if (this.capturedBytes + more <= MAX_ELEMENT_BYTES) return;
    const what =
      this.captureTarget === Target.Location
        ? 'a Location'
        : this.captureTarget === Target.None
          ? 'a key'
          : 'a top-level status value';
    throw new PayloadError(
      `${what} starting at byte ${this.captureOffset} is larger than ${MAX_ELEMENT_BYTES / (1024 * 1024)} MiB, the most one may be`,
      { byteOffset: this.captureOffset },
    );
  }

  private expectedAfterValue(): string {
    return this.inObject() ? "',' or '}'" : "',' or ']'";
  }

  private syntaxError(i: number, expected: string, found: number): PayloadError {
    const byteOffset = this.offset + i;
    return new PayloadError(`invalid JSON at byte ${byteOffset}: expected ${expected}, found ${describeByte(found)}`, {
      byteOffset,
    });
  }

  private expectationAtEnd(): string {
    switch (this.state) {
      case State.BomSecondByte:
      case State.BomThirdByte:
        return 'expected the rest of the UTF-8 byte order mark';
      case State.Value:
        return this.roles.length === 0 ? 'expected a JSON document' : 'expected a value';
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
