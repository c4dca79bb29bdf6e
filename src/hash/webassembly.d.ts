/**
 * The part of the WebAssembly JS API the wasm backend uses. Node has it all, but TypeScript declares
 * it only in the DOM libraries, which would bring every browser global with it.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
