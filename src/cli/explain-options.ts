/** The options of `powlab explain`, and the argv type yargs infers from them. */
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { DEFAULT_MEASURE_SECONDS, MAX_MEASURE_SECONDS } from '../miner/measure.js';
import { checkHeight } from './heights.js';
import { networkOptions } from './chain-options.js';
import { engineOptions } from './mining.js';
import { optionArg } from './option-args.js';

export const explainOptions = {
  header: { type: 'string', requiresArg: true, describe: 'explain this header (160 hex digits)' },
  block: {
    type: 'string',
    requiresArg: true,
    describe: 'explain this whole block: hex, or a file of hex or raw bytes (addresses as on main-net)',
  },
  height: {
    type: 'string',
    requiresArg: true,
    coerce: optionArg(checkHeight),
    describe: 'explain the block at this height of the built-in chain (0: regtest genesis)',
  },
  ...networkOptions,
  datadir: {
    ...networkOptions.datadir,
    describe:
      'the built-in chain to read (default: ~/.powlab/regtest, or ~/.powlab/classnet); with neither --header nor --height its tip is explained (the genesis while it is empty)',
  },
  json: { type: 'boolean', default: false, describe: 'print the same facts as one JSON object' },
  hashrate: {
    type: 'string',
    requiresArg: true,
    describe: 'predict at this hashrate (5e6, 2.5MH/s) instead of measuring this machine',
  },
  measure: {
    type: 'boolean',
    describe: "measure this machine's hashrate on every core (what happens without --hashrate)",
  },
  seconds: {
    type: 'string',
    requiresArg: true,
    describe: `how long to measure, in seconds, at most ${MAX_MEASURE_SECONDS} (default: ${DEFAULT_MEASURE_SECONDS})`,
  },
  threads: { ...engineOptions.threads, describe: 'worker threads for the measurement (default: every core)' },
} as const satisfies Record<string, Options>;

export type ExplainOptionTypes = InferredOptionTypes<typeof explainOptions>;
export type ExplainArgs = ArgumentsCamelCase<ExplainOptionTypes>;
