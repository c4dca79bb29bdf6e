/** The options of `powlab mine`, each checked once as it is parsed, and the argv type yargs infers from them. */
import { Errors } from '../errors.js';
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { dashboardOptions, engineOptions } from './mining.js';
import { numberArg } from './option-args.js';
import { BLOCK_COUNT, checkWhole, ZERO_BITS } from '../mining/limits.js';
import { targetOptions, zerosOption } from './targets.js';
import { networkOptions } from './chain-options.js';
import { defaultDatadir } from '../sources/chain-network.js';

function checkBlockCount(blocks: number): number {
  return checkWhole('blocks', BLOCK_COUNT, blocks);
}

/** The longest --duration: a timer's delay is a signed 32-bit count of milliseconds, and a longer one fires at once. */
const MAX_DURATION_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function checkDuration(duration: number): number {
  if (!(duration > 0 && duration <= MAX_DURATION_SECONDS))
    throw Errors.badOption(
      'duration',
      `must be a positive number of seconds, at most ${MAX_DURATION_SECONDS} (about 24 days), got ${duration}`,
    );
  return duration;
}

export const DEFAULT_DATADIR = defaultDatadir('regtest');
/** A laptop meets 2^22 expected hashes in a second or a few. */
export const DEFAULT_ZEROS = 22;

export const mineOptions = {
  ...engineOptions,
  ...dashboardOptions,
  zeros: zerosOption(ZERO_BITS, `${DEFAULT_ZEROS}; with --rpc, the node's target`),
  bits: targetOptions.bits,
  ...networkOptions,
  address: {
    type: 'string',
    requiresArg: true,
    describe: 'pay the coinbase to this regtest address (bech32 or base58)',
    group: 'Payout:',
  },
  script: {
    type: 'string',
    requiresArg: true,
    describe: 'pay the coinbase to this output script (hex)',
    group: 'Payout:',
  },
  blocks: {
    type: 'string',
    requiresArg: true,
    default: '0',
    coerce: numberArg('blocks', checkBlockCount),
    describe: 'stop after this many blocks (0: until stopped)',
  },
  duration: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('duration', checkDuration),
    describe: `stop this many seconds after the start, a wait for a node or pool included (at most ${MAX_DURATION_SECONDS}: about 24 days)`,
  },
  rpc: {
    type: 'string',
    requiresArg: true,
    describe: "mine on a node's block templates (getblocktemplate), e.g. http://127.0.0.1:18443",
    group: 'Node:',
  },
  'rpc-user': { type: 'string', requiresArg: true, describe: 'RPC user name', group: 'Node:' },
  'rpc-password': {
    type: 'string',
    requiresArg: true,
    describe:
      'RPC password; other users see flags in the process list (ps): prefer POWLAB_RPC_PASSWORD or --rpc-cookie',
    group: 'Node:',
  },
  'rpc-cookie': {
    type: 'string',
    requiresArg: true,
    describe: "the node's cookie file (Bitcoin Core: <datadir>/regtest/.cookie)",
    group: 'Node:',
  },
  pool: {
    type: 'string',
    requiresArg: true,
    describe: 'mine shares for a Stratum v1 pool: stratum+tcp://HOST:PORT',
    group: 'Pool:',
  },
  user: { type: 'string', requiresArg: true, describe: 'pool user name (often ADDRESS.WORKER)', group: 'Pool:' },
  password: {
    type: 'string',
    requiresArg: true,
    describe: 'pool password (default x); other users see flags in the process list (ps): prefer POWLAB_POOL_PASSWORD',
    group: 'Pool:',
  },
  'version-rolling': {
    type: 'boolean',
    default: false,
    describe: 'negotiate version rolling with the pool (BIP 310)',
    group: 'Pool:',
  },
  'suggest-difficulty': {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('suggest-difficulty', checkSuggestedDifficulty),
    describe: 'ask the pool for this share difficulty',
    group: 'Pool:',
  },
} as const satisfies Record<string, Options>;

function checkSuggestedDifficulty(difficulty: number): number {
  if (!(difficulty > 0 && Number.isFinite(difficulty)))
    throw Errors.badOption('suggest-difficulty', `must be a positive number, got ${difficulty}`);
  return difficulty;
}

export type MineOptionTypes = InferredOptionTypes<typeof mineOptions>;
export type MineArgs = ArgumentsCamelCase<MineOptionTypes>;
