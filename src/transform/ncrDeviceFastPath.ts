import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeString } from './jsonBytes';
import type { FieldValue, TextFieldValue } from './ncrFields';
import { isOversizedValue, OVERSIZED_VALUE } from './rules';

/*
 * The common case of a registry payload, fast: a whole device object inside one
 * chunk, read by a WebAssembly recursive descent (assembly/ncrDevice.ts) that
 * validates as strictly as the scanner does and finds the same five fields, 16
 * bytes at a time inside strings. It never reports an error: at anything it does
 * not handle (an escape in a key, a value near the size limit, nesting deeper than
 * 32, or any byte that is not valid JSON) it gives up, having changed nothing, and
 * the scanner reads the device the slow way from its first byte. When the chunk
 * ends inside the device it says so (MORE), and the scanner carries the device's
 * bytes over to the next chunk. The scanner is the authority on what is valid and on where
 * an error is; this only has to agree with it on what it accepts, which
 * test/unit/transform-properties.test.ts checks against the JSON.parse reference
 * under random chunking.
 */

/** Where `npm ci` (the prepare script) and `npm run build` compile it; two levels above src/transform and dist/transform. */
export const DEVICE_WASM_PATH = join(__dirname, '..', '..', 'build', 'ncrDevice.wasm');

/** Returned instead of an index: the fast path gave up. */
export const BAIL = -1;
/** Returned instead of an index: the chunk ends inside the device, which may still be read with the bytes that follow. */
export const MORE = -2;

interface DeviceExports {
  memory: WebAssembly.Memory;
  resultPointer(): number;
  inputPointer(): number;
  reserve(bytes: number): number;
  scanDevice(start: number, length: number): number;
}

/** The field records' kinds, as assembly/ncrDevice.ts writes them. */
const enum Kind {
  Absent,
  String,
  EscapedString,
  Number,
  Other,
}

let compiled: WebAssembly.Module | undefined;

/** The compiled fast path, loaded once; throws, saying how to build it, when build/ncrDevice.wasm is missing. */
export function deviceModule(): WebAssembly.Module {
  if (compiled === undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(DEVICE_WASM_PATH);
    } catch (error) {
      throw new Error(
        `cannot load the scanner's WebAssembly (${DEVICE_WASM_PATH}): ${(error as Error).message}; ` +
          '`npm ci` or `npm run build` compiles it',
        { cause: error },
      );
    }
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/** The device fields, as the scanner would have read them; valid after scan() returned an index. */
export class DeviceFastPath {
  manufacturer: FieldValue;
  locationType: FieldValue;
  model: FieldValue;
  dateUpdated: TextFieldValue;
  postcode: TextFieldValue;

  private readonly wasm = new WebAssembly.Instance(deviceModule()).exports as unknown as DeviceExports;
  /** The field records, a view of the instance's memory (renewed when the memory grows). */
  private fields = new Int32Array(0);
  /** The chunk last copied into the instance's memory, so each chunk is copied once. */
  private loaded: Buffer | undefined;
  private readonly repeated = [0, 1, 2, 3, 4].map(() => new RepeatedText());

  /** Reads the device object whose '{' is at `start` of `chunk`: returns the index after its '}', BAIL or MORE. */
  scan(chunk: Buffer, start: number): number {
    const wasm = this.wasm;
    if (this.loaded !== chunk) {
      // No room for the chunk in the instance's memory: the scanner reads it byte by byte.
      if (!wasm.reserve(chunk.length)) return BAIL;
      new Uint8Array(wasm.memory.buffer, wasm.inputPointer(), chunk.length).set(chunk);
      this.loaded = chunk;
      if (this.fields.buffer !== wasm.memory.buffer) {
        this.fields = new Int32Array(wasm.memory.buffer, wasm.resultPointer(), 15);
      }
    }
    const end = wasm.scanDevice(start, chunk.length);
    if (end < 0) return end;
    this.manufacturer = this.fieldValue(chunk, 0, true);
    this.locationType = this.fieldValue(chunk, 1, true);
    this.model = this.fieldValue(chunk, 2, true);
    this.dateUpdated = this.fieldValue(chunk, 3, false) as TextFieldValue;
    this.postcode = this.fieldValue(chunk, 4, false) as TextFieldValue;
    return end;
  }

  /** Forgets the chunk: its buffer may be reused for other bytes. */
  release(): void {
    this.loaded = undefined;
  }

  /** Field `field`'s record (kind, start, end) as the value the scanner would give: see DeviceSink.addDevice. */
  private fieldValue(chunk: Buffer, field: number, numberIsValue: boolean): FieldValue {
    const fields = this.fields;
    const at = field * 3;
    const kind = fields[at] as Kind;
    const start = fields[at + 1];
    const end = fields[at + 2];
    switch (kind) {
      case Kind.Absent:
        return undefined;
      case Kind.String:
        return this.repeated[field].text(chunk, start, end);
      case Kind.EscapedString: {
        const text = decodeString(chunk, start, end, true);
        return isOversizedValue(text) ? OVERSIZED_VALUE : text;
      }
      case Kind.Number:
        return numberIsValue ? Number(chunk.toString('latin1', start, end)) : null;
      case Kind.Other:
        return null;
    }
  }
}

/** Longer values are decoded every time. */
const REPEATED_TEXT_BYTES = 64;

/**
 * The last short value of one field, kept with its bytes: the devices of a site
 * come one after another and mostly share their manufacturer, model and
 * postcode, so comparing a few bytes saves decoding them again.
 */
class RepeatedText {
  private readonly bytes = Buffer.alloc(REPEATED_TEXT_BYTES);
  private length = -1;
  private value: string | typeof OVERSIZED_VALUE = '';

  /** The unescaped string content start..end of chunk, decoded. */
  text(chunk: Buffer, start: number, end: number): string | typeof OVERSIZED_VALUE {
    const length = end - start;
    if (length === this.length) {
      const bytes = this.bytes;
      let k = 0;
      while (k < length && chunk[start + k] === bytes[k]) k++;
      if (k === length) return this.value;
    }
    const text = decodeString(chunk, start, end, false);
    const value = isOversizedValue(text) ? OVERSIZED_VALUE : text;
    if (length <= REPEATED_TEXT_BYTES) {
      // A loop, not Buffer.copy: for a few bytes the native call costs more than the copy.
      const bytes = this.bytes;
      for (let k = 0; k < length; k++) bytes[k] = chunk[start + k];
      this.length = length;
      this.value = value;
    }
    return value;
  }
}
