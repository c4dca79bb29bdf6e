/** The options of `powlab bench`, and the argv type yargs infers from them. */
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';

export const benchOptions = {
  backends: {
    type: 'string',
    requiresArg: true,
    describe: 'comma-separated backends to measure (default: every backend; webgpu where an adapter opens)',
  },
  threads: { type: 'string', requiresArg: true, describe: 'comma-separated thread counts (default: 1 and every core)' },
  // Rounds of half a second: long enough that a quiet laptop's rounds agree within a few percent.
  seconds: { type: 'number', requiresArg: true, default: 4, describe: 'measured seconds per backend and thread count' },
  rounds: {
    type: 'number',
    requiresArg: true,
    describe:
      'rounds per backend and thread count (default 8; 1 with --fixed-work); the median counts, their spread says how far to trust it',
  },
  'fixed-work': {
    type: 'number',
    requiresArg: true,
    describe:
      'hash the published workload of N million nonces (1 to 1000; docs/fixed-work.md) instead of timed rounds: its time, hashrate and checksum, the same on every machine',
  },
  watts: {
    type: 'number',
    requiresArg: true,
    describe:
      "the machine's power draw in watts (a wall meter's reading), for joules per terahash; default: measured by RAPL where readable",
  },
  svg: {
    type: 'string',
    requiresArg: true,
    describe: 'also draw the results as a bar chart into this SVG file (the machine and method named above the bars)',
  },
  from: {
    type: 'string',
    requiresArg: true,
    describe: 'print (or draw, with --svg) a report saved from bench --json, instead of measuring',
  },
  json: { type: 'boolean', default: false, describe: 'print {"machine", "results"} as JSON' },
} as const satisfies Record<string, Options>;

export type BenchOptionTypes = InferredOptionTypes<typeof benchOptions>;
export type BenchArgs = ArgumentsCamelCase<BenchOptionTypes>;
