/**
 * What engine tests take from dist/, and why; everything else they test from src/. A worker thread
 * runs JavaScript, so the scripts threads start are the built ones; the wasm kernels exist only once
 * the build has compiled them. npm test builds first.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useWasmModules } from '../../src/hash/wasm.js';
import type { ThreadHost } from '../../src/miner/threads.js';
import { nodeThreads } from '../../src/worker/node-threads.js';

const built = (path: string) => new URL(`../../dist/${path}`, import.meta.url);

/** The built worker scripts. */
export const BUILT_WORKERS = {
  cpu: fileURLToPath(built('worker/entry.js')),
  gpu: fileURLToPath(built('worker/gpu-entry.js')),
};

/** Node's thread host, its threads started from the built worker scripts. */
export function builtThreads(): ThreadHost {
  return nodeThreads(BUILT_WORKERS);
}

/** Hand src/hash/wasm.ts, in this thread, the kernels the build compiled. */
export function useBuiltWasm(): void {
  const bytes = (file: string) => new Uint8Array(readFileSync(built(`hash/${file}`)));
  useWasmModules({ simd: bytes('sha256d-simd.wasm'), scalar: bytes('sha256d-scalar.wasm') });
}
