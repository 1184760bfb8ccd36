/*
 * The part of the standard WebAssembly JavaScript API the scanner uses. Node has it
 * globally, but TypeScript declares it only in the DOM library, which this
 * project does not load.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}
