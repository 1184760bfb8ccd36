import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { transformPayload } from '../../src/transform/pipeline';

// A scanner that cannot be built, as when build/ncrDevice.wasm is missing (vi.mock is hoisted above the imports).
vi.mock('../../src/transform/ncrDeviceFastPath', () => ({
  BAIL: -1,
  MORE: -2,
  DeviceFastPath: class {
    constructor() {
      throw new Error("cannot load the scanner's WebAssembly");
    }
  },
}));

describe('transformPayload when its scanner cannot be built', () => {
  it('rejects and releases the input, which nobody would read or listen to otherwise', async () => {
    const input = new PassThrough();
    await expect(transformPayload(input, new PassThrough())).rejects.toThrow("cannot load the scanner's WebAssembly");
    expect(input.destroyed).toBe(true);
  });
});
