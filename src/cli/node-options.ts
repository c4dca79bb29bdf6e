/** What `powlab node` takes: the chain it keeps, where it listens, its peers, and the mining. */
import type { InferredOptionTypes } from 'yargs';
import { networkOptions } from './chain-options.js';
import { engineOptions } from './mining.js';
import { numberArg, portArg } from './option-args.js';
import { checkWhole } from '../mining/limits.js';

export const nodeOptions = {
  ...networkOptions,
  host: { type: 'string', requiresArg: true, default: '127.0.0.1', describe: 'the address to listen on' },
  port: {
    type: 'string',
    requiresArg: true,
    coerce: portArg('port'),
    describe: 'the port to listen on (default 18444, regtest’s; 0 picks a free one)',
  },
  connect: {
    type: 'string',
    array: true,
    requiresArg: true,
    describe: 'a peer to connect to, HOST:PORT (again for more)',
  },
  'page-port': {
    type: 'string',
    requiresArg: true,
    coerce: portArg('page-port'),
    describe: 'serve a page of the block tree and the peers on this port, on --host (0: any free one)',
  },
  mine: { type: 'boolean', default: false, describe: 'mine on the active tip, switching when a peer’s block wins' },
  threads: engineOptions.threads,
  address: { type: 'string', requiresArg: true, describe: 'pay mined blocks to this regtest address' },
  blocks: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('blocks', (n) => checkWhole('blocks', { min: 1, max: 1_000_000 }, n)),
    describe: 'with --mine: stop after mining this many blocks',
  },
  duration: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('duration', (n) => checkWhole('duration', { min: 1, max: 31_536_000 }, n)),
    describe: 'stop after this many seconds',
  },
  json: { type: 'boolean', default: false, describe: 'one JSON object per event (peer, block, reorg), a summary last' },
} as const;

export type NodeArgs = InferredOptionTypes<typeof nodeOptions>;
