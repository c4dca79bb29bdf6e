/**
 * How a command names the built-in chain it works on: --network, --spacing, --interval and
 * --datadir, shared by mine, chain and explain, and the one place they are checked against what
 * the datadir already holds.
 */
import type { InferredOptionTypes, Options } from 'yargs';
import { Errors } from '../errors.js';
import { checkWhole, type WholeRange } from '../mining/limits.js';
import { datadirChain, type DatadirChain, type NetworkName } from '../sources/chain-network.js';
import { CLASSNET_DEFAULTS } from '../core/params.js';
import { bitsToTarget, targetFromZeroBits, targetToBits } from '../core/target.js';
import { numberArg, optionArg } from './option-args.js';
import { targetFromArgs } from './targets.js';

const SPACING: WholeRange = { min: 1, max: 86_400 };
const INTERVAL: WholeRange = { min: 2, max: 100_000 };
/** Below four seconds a window's quarter rounds to nothing, and the target would fall to zero. */
const MIN_TIMESPAN = 4;

function checkNetwork(text: string): NetworkName {
  if (text !== 'regtest' && text !== 'classnet')
    throw Errors.badOption('network', `must be regtest or classnet, got ${JSON.stringify(text)}`);
  return text;
}

export const networkOptions = {
  network: {
    type: 'string',
    requiresArg: true,
    coerce: optionArg(checkNetwork),
    describe:
      'the built-in chain: regtest (a fixed target) or classnet (the difficulty retargets); default: what the datadir holds, else regtest',
    group: 'Chain:',
  },
  spacing: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('spacing', (spacing) => checkWhole('spacing', SPACING, spacing)),
    describe: `classnet: seconds aimed for between blocks, ${SPACING.min} to ${SPACING.max} (default ${CLASSNET_DEFAULTS.spacing}); kept by the chain`,
    group: 'Chain:',
  },
  interval: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('interval', (interval) => checkWhole('interval', INTERVAL, interval)),
    describe: `classnet: blocks between retargets, ${INTERVAL.min} to ${INTERVAL.max} (default ${CLASSNET_DEFAULTS.interval}); kept by the chain`,
    group: 'Chain:',
  },
  datadir: {
    type: 'string',
    requiresArg: true,
    describe: 'where the built-in chain keeps its blocks (default: ~/.powlab/regtest, or ~/.powlab/classnet)',
  },
} as const satisfies Record<string, Options>;

/** What the options give, as yargs infers it. */
export type NetworkArgs = InferredOptionTypes<typeof networkOptions>;

/** The chain the arguments name, with its datadir; `start` is the starting target given, and the one a new chain takes without it. */
export function chainFromArgs(args: NetworkArgs, start: { given?: number; byDefault?: number } = {}): DatadirChain {
  const spacing = args.spacing ?? CLASSNET_DEFAULTS.spacing;
  const interval = args.interval ?? CLASSNET_DEFAULTS.interval;
  if (spacing * interval < MIN_TIMESPAN)
    throw Errors.badOption(
      'interval',
      `${interval} blocks of ${spacing} s is a window under ${MIN_TIMESPAN} s: the retarget would take the target to zero`,
    );
  return datadirChain(args.datadir, {
    network: args.network,
    spacing: args.spacing,
    interval: args.interval,
    startBits: start.given,
    defaultStartBits: start.byDefault,
  });
}

/**
 * The chain a miner of the built-in chain works on (mine, pool) and the target of its next block:
 * classnet's start bits (the retarget rule takes over from them), else --zeros/--bits, else
 * `defaultZeros`.
 */
export function minedChainFromArgs(
  args: NetworkArgs & { zeros?: number; bits?: string },
  defaultZeros: number,
): DatadirChain & { target: bigint } {
  const given = targetFromArgs({ zeros: args.zeros, bits: args.bits });
  const chain = chainFromArgs(args, {
    given: given === undefined ? undefined : targetToBits(given),
    byDefault: targetToBits(targetFromZeroBits(defaultZeros)),
  });
  const target = chain.params.retarget
    ? bitsToTarget(chain.params.retarget.startBits)
    : (given ?? targetFromZeroBits(defaultZeros));
  return { ...chain, target };
}
