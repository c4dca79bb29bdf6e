/** `powlab pool`'s options, apart from the command, so its handler can take their types without an import cycle. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ArgumentsCamelCase, InferredOptionTypes } from 'yargs';
import { Errors } from '../errors.js';
import { checkWhole, ZERO_BITS } from '../mining/limits.js';
// Rules and limits only: a module of constants, so --help loads no server.
import { DEFAULT_LIMITS, DEFAULT_RULES } from '../pool/rules.js';
import { networkOptions } from './chain-options.js';
import { numberArg, optionArg, portArg, positiveArg } from './option-args.js';
import { targetOptions, zerosOption } from './targets.js';

export const DEFAULT_POOL_DATADIR = join(homedir(), '.powlab', 'pool');
/** Stratum's usual port. */
const DEFAULT_POOL_PORT = 3333;
/** Not `powlab serve`'s 8421 (DEFAULT_SERVE_PORT): a teacher can run both with their defaults. */
const DEFAULT_PAGE_PORT = 8422;
/** On the built-in chain: a block per 2^27 hashes, about half a minute for one laptop's two threads, seconds for a class. */
export const DEFAULT_POOL_ZEROS = 27;
const CONNECTION_COUNT = { min: 1, max: 100_000 };

export const poolOptions = {
  datadir: {
    type: 'string',
    requiresArg: true,
    default: DEFAULT_POOL_DATADIR,
    describe: 'the built-in chain, found blocks and the ledger',
  },
  // The built-in chain's network, kept in the datadir as mine keeps it.
  network: networkOptions.network,
  spacing: networkOptions.spacing,
  interval: networkOptions.interval,
  host: {
    type: 'string',
    requiresArg: true,
    default: '127.0.0.1',
    // Node reads an empty host as every interface: a typo must not open the pool to the network.
    coerce: optionArg((host) => {
      if (host.trim() === '')
        throw Errors.badOption('host', 'must name an address, e.g. 127.0.0.1 (0.0.0.0: every network)');
      return host;
    }),
    describe: 'listen on this address (0.0.0.0: every network, for a class)',
  },
  'page-name': {
    type: 'string',
    array: true,
    requiresArg: true,
    coerce: (names: string[]) => names.map(optionArg(hostName)),
    describe:
      "a name students open the page by, beside the machine's addresses (its name on the school network); others are refused",
  },
  port: {
    type: 'string',
    requiresArg: true,
    default: DEFAULT_POOL_PORT,
    coerce: portArg('port'),
    describe: 'Stratum port (0: any free one)',
  },
  'page-port': {
    type: 'string',
    coerce: portArg('page-port'),
    requiresArg: true,
    default: DEFAULT_PAGE_PORT,
    describe: 'the pool page, its API and the WebSocket endpoint (0: any free one)',
  },
  zeros: zerosOption(ZERO_BITS, `${DEFAULT_POOL_ZEROS} on the built-in chain`),
  bits: targetOptions.bits,
  address: {
    type: 'string',
    requiresArg: true,
    describe: "the pool's coinbase pays this regtest address",
    group: 'Payout:',
  },
  script: {
    type: 'string',
    requiresArg: true,
    describe: "the pool's coinbase pays this output script (hex)",
    group: 'Payout:',
  },
  'pplns-window': {
    type: 'string',
    coerce: positiveArg('pplns-window'),
    requiresArg: true,
    default: 2,
    describe: 'PPLNS: split each block over the last N share difficulty, N = this × block difficulty',
    group: 'Payout:',
  },
  rpc: {
    type: 'string',
    requiresArg: true,
    describe: "work on a node's block templates (getblocktemplate), e.g. http://127.0.0.1:18443",
    group: 'Node:',
  },
  'rpc-user': { type: 'string', requiresArg: true, describe: 'RPC user name', group: 'Node:' },
  'rpc-password': {
    type: 'string',
    requiresArg: true,
    describe: 'RPC password (or set POWLAB_RPC_PASSWORD)',
    group: 'Node:',
  },
  'rpc-cookie': { type: 'string', requiresArg: true, describe: "the node's cookie file", group: 'Node:' },
  'share-seconds': {
    type: 'string',
    coerce: positiveArg('share-seconds'),
    requiresArg: true,
    default: DEFAULT_RULES.vardiff.shareSeconds,
    describe: 'vardiff aims for one share per miner this often',
    group: 'Shares:',
  },
  'start-difficulty': {
    type: 'string',
    coerce: positiveArg('start-difficulty'),
    requiresArg: true,
    default: DEFAULT_RULES.vardiff.startDifficulty,
    describe: 'share difficulty a new miner starts at',
    group: 'Shares:',
  },
  'min-difficulty': {
    type: 'string',
    coerce: positiveArg('min-difficulty'),
    requiresArg: true,
    default: DEFAULT_RULES.vardiff.minDifficulty,
    describe: 'lowest share difficulty (suggest_difficulty included)',
    group: 'Shares:',
  },
  'max-difficulty': {
    type: 'string',
    coerce: positiveArg('max-difficulty'),
    requiresArg: true,
    default: DEFAULT_RULES.vardiff.maxDifficulty,
    describe: 'highest share difficulty (never above the block difficulty)',
    group: 'Shares:',
  },
  'max-connections': {
    type: 'string',
    coerce: numberArg('max-connections', (count) => checkWhole('max-connections', CONNECTION_COUNT, count)),
    requiresArg: true,
    default: DEFAULT_LIMITS.maxConnections,
    describe: 'connections at most, Stratum and WebSocket together',
    group: 'Limits:',
  },
  'max-per-address': {
    type: 'string',
    coerce: numberArg('max-per-address', (count) => checkWhole('max-per-address', CONNECTION_COUNT, count)),
    requiresArg: true,
    default: DEFAULT_LIMITS.maxConnectionsPerAddress,
    describe: 'connections at most from one address',
    group: 'Limits:',
  },
  'allow-origin': {
    type: 'string',
    array: true,
    requiresArg: true,
    default: [] as string[],
    // Each one checked and cut to its origin once, here: the pool compares origins, not URLs.
    coerce: (urls: string[]) => urls.map(optionArg(originOf)),
    describe:
      'pages at these origins (--allow-origin http://HOST:PORT [more…]) may mine over the WebSocket, besides the pool page',
    group: 'Limits:',
  },
  'max-messages-per-second': {
    type: 'string',
    coerce: positiveArg('max-messages-per-second'),
    requiresArg: true,
    default: DEFAULT_RULES.maxMessagesPerSecond,
    describe: 'a connection sending more (on average) is dropped',
    group: 'Limits:',
  },
  duration: {
    type: 'string',
    requiresArg: true,
    coerce: positiveArg('duration'),
    describe: 'stop after this many seconds',
  },
  json: { type: 'boolean', default: false, describe: 'one JSON object per event, a summary last' },
} as const;

/** A name the page is opened by, as a browser sends it in Host. */
function hostName(name: string): string {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(name))
    throw Errors.badOption(
      'page-name',
      `must be a host name such as teacher.local, got ${JSON.stringify(name.slice(0, 60))}`,
    );
  return name;
}

/** The origin (scheme, host, port) of a page the teacher names, as a browser sends it in Origin. */
function originOf(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw Errors.badOption('allow-origin', `${JSON.stringify(url)} is not an http:// or https:// address`);
  return parsed.origin;
}

export type PoolCommandArgs = ArgumentsCamelCase<InferredOptionTypes<typeof poolOptions>>;
