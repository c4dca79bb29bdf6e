/** The machine a benchmark ran on, as Node describes it: named beside every figure. */
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { loadWasmFilter, type WasmVariant } from '../hash/wasm.js';
import type { Machine } from '../miner/bench.js';

export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    platform: platform(),
    arch: arch(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    wasm: wasmVariant(),
  };
}

function wasmVariant(): WasmVariant | 'unavailable' {
  try {
    return loadWasmFilter().variant;
  } catch {
    return 'unavailable';
  }
}
