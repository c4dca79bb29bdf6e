/**
 * The machine a benchmark ran on, named beside every figure: what Node says, and on Linux what
 * /proc/cpuinfo adds (physical cores, and the instruction-set features SHA-256 speed depends on).
 */
import { readFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadWasmFilter, type WasmVariant } from '../hash/wasm.js';
import type { Machine } from '../miner/bench.js';

/**
 * The /proc/cpuinfo flags that decide how fast SHA-256 can go: SSE4.1 and AVX2 (4 and 8 lanes a
 * vector), AVX-512 (16), x86's SHA extensions; on ARM, Advanced SIMD and its SHA-2 instructions.
 */
export const SHA_RELEVANT_FLAGS = ['sse4_1', 'avx2', 'avx512f', 'sha_ni', 'asimd', 'sha2'] as const;

export interface CpuInfo {
  /** The SHA-relevant flags the first processor lists, in SHA_RELEVANT_FLAGS' order. */
  flags: string[];
  /** Distinct (physical id, core id) pairs; null where the file does not say (most ARM and virtual machines say). */
  physicalCores: number | null;
}

/** What a /proc/cpuinfo text says of the flags and cores. */
export function parseCpuInfo(text: string): CpuInfo {
  const listed = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(text)?.[1].split(/\s+/) ?? [];
  const cores = new Set<string>();
  for (const block of text.split(/\n\s*\n/)) {
    const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
  }
  return {
    flags: SHA_RELEVANT_FLAGS.filter((flag) => listed.includes(flag)),
    physicalCores: cores.size > 0 ? cores.size : null,
  };
}

/** `root` stands for / (a test points it at a fixture). */
export function describeMachine(root = '/'): Machine {
  let cpuInfo: CpuInfo | null = null;
  try {
    cpuInfo = parseCpuInfo(readFileSync(join(root, 'proc/cpuinfo'), 'utf8'));
  } catch {
    // No /proc (macOS, Windows): the flags are not known, and the JSON says null rather than none.
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    physicalCores: cpuInfo?.physicalCores ?? null,
    hardwareThreads: cpus().length,
    cpuFlags: cpuInfo?.flags ?? null,
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
