/** The options of `powlab lab stale|selfish|double-spend`, each checked once as it is parsed. */
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { Errors } from '../errors.js';
import { numberArg, optionArg } from './option-args.js';

function between(option: string, low: number, high: number, whole = false) {
  return numberArg(option, (value) => {
    if (value < low || value > high || (whole && !Number.isInteger(value)))
      throw Errors.badOption(
        option,
        `must be ${whole ? 'a whole number' : 'a number'} from ${low} to ${high}, got ${value}`,
      );
    return value;
  });
}

/** Ten seconds of one-way delay is beyond any real link, and a lab with it would take hours. */
const MAX_LATENCY_MS = 10_000;

const latencyList = optionArg((text) => {
  const values = text.split(',').map((part) => part.trim());
  if (values.length > 8) throw Errors.badOption('latency', `at most 8 values, got ${values.length}`);
  return values.map((part) => {
    const value = /^\d+$/.test(part) ? Number(part) : NaN;
    if (!(value <= MAX_LATENCY_MS))
      throw Errors.badOption(
        'latency',
        `must be milliseconds from 0 to ${MAX_LATENCY_MS}, comma-separated, got ${JSON.stringify(part)}`,
      );
    return value;
  });
});

const common = {
  json: { type: 'boolean', default: false, describe: 'print the lab as one JSON object on stdout, every figure in it' },
  svg: { type: 'string', requiresArg: true, describe: 'draw the theory and the measurement as an SVG chart in FILE' },
} as const satisfies Record<string, Options>;

const spacing = (byDefault: number) =>
  ({
    type: 'string',
    requiresArg: true,
    default: String(byDefault),
    coerce: between('spacing', 0.05, 600),
    describe: 'seconds between blocks the difficulty aims for, over all the nodes together',
  }) as const satisfies Options;

const nodes = (byDefault: number, describe: string) =>
  ({
    type: 'string',
    requiresArg: true,
    default: String(byDefault),
    coerce: between('nodes', 2, 8, true),
    describe,
  }) as const satisfies Options;

const blocks = (byDefault: number) =>
  ({
    type: 'string',
    requiresArg: true,
    default: String(byDefault),
    coerce: between('blocks', 1, 100_000, true),
    describe: 'blocks found (by all the nodes) before the lab stops',
  }) as const satisfies Options;

const oneLatency = {
  type: 'string',
  requiresArg: true,
  default: '0',
  coerce: between('latency', 0, MAX_LATENCY_MS, true),
  describe: 'one-way delay of every link in milliseconds',
} as const satisfies Options;

export const staleOptions = {
  ...common,
  nodes: nodes(3, 'honest nodes, equal hash shares, every pair linked'),
  latency: {
    type: 'string',
    requiresArg: true,
    default: '0,250,500',
    coerce: latencyList,
    describe: 'one-way delay of every link in milliseconds; one run for each value, comma-separated',
  },
  spacing: spacing(1),
  blocks: blocks(100),
} as const satisfies Record<string, Options>;

export const selfishOptions = {
  ...common,
  alpha: {
    type: 'string',
    requiresArg: true,
    default: '0.4',
    coerce: between('alpha', 0.05, 0.49),
    describe: "the selfish node's hash share, set by throttles and then measured",
  },
  nodes: nodes(3, 'nodes in all: one selfish, the rest honest, sharing 1 - alpha equally'),
  latency: oneLatency,
  spacing: spacing(1),
  blocks: blocks(200),
} as const satisfies Record<string, Options>;

export const doubleSpendOptions = {
  ...common,
  q: {
    type: 'string',
    requiresArg: true,
    default: '0.3',
    coerce: between('q', 0.05, 0.45),
    describe:
      "the attacker's hash share, set by throttle and then measured (below half: above it the attack always wins)",
  },
  z: {
    type: 'string',
    requiresArg: true,
    default: '2',
    coerce: between('z', 1, 10, true),
    describe: 'confirmations the merchant waits for',
  },
  trials: {
    type: 'string',
    requiresArg: true,
    default: '100',
    coerce: between('trials', 1, 10_000, true),
    describe: 'double spends to race',
  },
  latency: oneLatency,
  spacing: spacing(0.1),
} as const satisfies Record<string, Options>;

export type StaleArgs = ArgumentsCamelCase<InferredOptionTypes<typeof staleOptions>>;
export type SelfishArgs = ArgumentsCamelCase<InferredOptionTypes<typeof selfishOptions>>;
export type DoubleSpendArgs = ArgumentsCamelCase<InferredOptionTypes<typeof doubleSpendOptions>>;
