/** The options of `powlab grind`, each checked once as it is parsed, and the argv type yargs infers from them. */
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { engineOptions, numberArg } from './mining.js';
import { targetOptions } from './targets.js';

// --start and --count are checked together, with the header's other limits, by nonceWindow (src/miner/ranges.ts).
const asGiven = (value: number) => value;

export const grindOptions = {
  ...engineOptions,
  ...targetOptions,
  header: {
    type: 'string',
    requiresArg: true,
    demandOption: true,
    describe: 'the header, 160 hex digits (its nonce is ignored)',
  },
  start: {
    type: 'string',
    requiresArg: true,
    default: '0',
    coerce: numberArg('start', asGiven),
    describe: 'first nonce to try',
  },
  count: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('count', asGiven),
    describe: 'how many nonces to try (default: to the end of the nonce space)',
  },
} as const satisfies Record<string, Options>;

export type GrindOptionTypes = InferredOptionTypes<typeof grindOptions>;
export type GrindArgs = ArgumentsCamelCase<GrindOptionTypes>;
