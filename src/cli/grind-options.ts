/** The options of `powlab grind`, each checked once as it is parsed, and the argv type yargs infers from them. */
import { NONCE_SPACE } from '../core/header.js';
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { engineOptions } from './mining.js';
import { numberArg } from './option-args.js';
import { HEADER_ZERO_BITS } from '../mining/limits.js';
import { targetOptions, zerosOption } from './targets.js';

// --start and --count are checked together, with the header's other limits, by nonceWindow (src/miner/ranges.ts).
const asGiven = (value: number) => value;

export const grindOptions = {
  ...engineOptions,
  ...targetOptions,
  json: {
    ...engineOptions.json,
    describe: 'print the result as one JSON object on stdout ({"found":false,...} when no nonce in the range wins)',
  },
  zeros: zerosOption(HEADER_ZERO_BITS, "the header's own bits"),
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
    describe: `first nonce to try, 0 to ${NONCE_SPACE - 1}`,
  },
  count: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('count', asGiven),
    describe: 'how many nonces to try, 1 up to the end of the nonce space (default: all from --start on)',
  },
} as const satisfies Record<string, Options>;

export type GrindOptionTypes = InferredOptionTypes<typeof grindOptions>;
export type GrindArgs = ArgumentsCamelCase<GrindOptionTypes>;
