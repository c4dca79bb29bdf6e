/**
 * WebAssembly with 128-bit SIMD: eight nonces per pass of the loop, compiled at build time from
 * AssemblyScript that scripts/generate-sha256d.mjs writes (assembly/). Where the engine lacks SIMD,
 * the same filter one nonce at a time.
 */
import { Errors } from '../errors.js';
import type { HashBackend } from './backend.js';
import { filteredBackend } from './filtered-scan.js';

/**
 * The part of the WebAssembly JS API this backend uses. Node has it all, but TypeScript declares it
 * only in the DOM libraries, which would bring every browser global with it.
 */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

type WasmFilter = (
  m0: number,
  m1: number,
  m2: number,
  m3: number,
  m4: number,
  m5: number,
  m6: number,
  m7: number,
  tail0: number,
  tail1: number,
  tail2: number,
  topLimb: number,
  start: number,
  count: number,
) => number;

export type WasmVariant = 'simd' | 'scalar';

const MODULE_FILES: Record<WasmVariant, URL> = {
  simd: new URL('./sha256d-simd.wasm', import.meta.url),
  scalar: new URL('./sha256d-scalar.wasm', import.meta.url),
};

export type WasmModuleBytes = Record<WasmVariant, Uint8Array<ArrayBuffer>>;

/** Node's fs, where this runs in Node; the part of it read here. */
type FileReader = { readFileSync(file: URL): Uint8Array<ArrayBuffer> };
const runtime = globalThis as unknown as { process?: { getBuiltinModule?(id: 'node:fs'): FileReader | undefined } };

let givenModules: WasmModuleBytes | undefined;

/**
 * Use these module bytes from now on, in this thread. A browser has no files to read: the page
 * fetches the two .wasm files and hands the bytes to each worker, which gives them here first.
 */
export function useWasmModules(modules: WasmModuleBytes): void {
  givenModules = modules;
}

function moduleBytes(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  if (givenModules) return givenModules[variant];
  // Node's fs through the runtime, not an import, so that this module bundles for a browser unchanged.
  const fs = runtime.process?.getBuiltinModule?.('node:fs');
  try {
    if (!fs) throw new Error('no files here');
    return fs.readFileSync(MODULE_FILES[variant]);
  } catch {
    throw Errors.badOption(
      'backend',
      `wasm is not built (${MODULE_FILES[variant].pathname} is missing: run npm run build)`,
    );
  }
}

/** The SIMD build if this engine accepts it, else the scalar one; `only` insists on one of them. */
export function loadWasmFilter(only?: WasmVariant): { variant: WasmVariant; filterNonces: WasmFilter } {
  for (const variant of only ? [only] : (['simd', 'scalar'] as const)) {
    const bytes = moduleBytes(variant);
    if (!WebAssembly.validate(bytes)) continue;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return { variant, filterNonces: instance.exports.filterNonces as WasmFilter };
  }
  throw Errors.badOption(
    'backend',
    `wasm: this engine accepts ${only ? `no ${only} module` : 'neither the SIMD nor the scalar module'}`,
  );
}

export function createWasmBackend(only?: WasmVariant): HashBackend & { variant: WasmVariant } {
  const { variant, filterNonces } = loadWasmFilter(only);
  const backend = filteredBackend('wasm', (job) => {
    const { midstate: m, tail } = job;
    return (start, count) =>
      filterNonces(
        m[0],
        m[1],
        m[2],
        m[3],
        m[4],
        m[5],
        m[6],
        m[7],
        tail[0],
        tail[1],
        tail[2],
        job.topLimb,
        start,
        count,
      );
  });
  return { ...backend, variant };
}
