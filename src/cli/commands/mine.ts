import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { dashboardOptions, engineOptions, type DashboardArgs, type EngineArgs } from '../mining.js';
import { targetOptions, type TargetArgs } from '../targets.js';
import type { RpcArgs } from '../mine-rpc.js';
import type { PoolArgs } from '../mine-pool.js';

export interface MineArgs extends EngineArgs, DashboardArgs, TargetArgs, RpcArgs, Partial<PoolArgs> {
  datadir: string;
  address?: string;
  script?: string;
  blocks: number;
  duration?: number;
}

export const DEFAULT_DATADIR = join(homedir(), '.powlab', 'regtest');

export const mineCommand: CommandModule<object, MineArgs> = {
  command: 'mine',
  describe: 'Mine blocks: on the built-in regtest chain by default',
  builder: (y) =>
    y
      .options(engineOptions)
      .options(dashboardOptions)
      .options({ zeros: targetOptions.zeros, bits: targetOptions.bits })
      .options({
        datadir: { type: 'string', requiresArg: true, default: DEFAULT_DATADIR, describe: 'where the built-in chain keeps its blocks' },
        address: { type: 'string', requiresArg: true, describe: 'pay the coinbase to this regtest address (bech32 or base58)', group: 'Payout:' },
        script: { type: 'string', requiresArg: true, describe: 'pay the coinbase to this output script (hex)', group: 'Payout:' },
        blocks: { type: 'number', requiresArg: true, default: 0, describe: 'stop after this many blocks (0: until stopped)' },
        duration: { type: 'number', requiresArg: true, describe: 'stop after this many seconds' },
        rpc: { type: 'string', requiresArg: true, describe: "mine on a node's block templates (getblocktemplate), e.g. http://127.0.0.1:18443", group: 'Node:' },
        'rpc-user': { type: 'string', requiresArg: true, describe: 'RPC user name', group: 'Node:' },
        'rpc-password': { type: 'string', requiresArg: true, describe: 'RPC password; other users see flags in the process list (ps): prefer POWLAB_RPC_PASSWORD or --rpc-cookie', group: 'Node:' },
        'rpc-cookie': { type: 'string', requiresArg: true, describe: "the node's cookie file (Bitcoin Core: <datadir>/regtest/.cookie)", group: 'Node:' },
        pool: { type: 'string', requiresArg: true, describe: 'mine shares for a Stratum v1 pool: stratum+tcp://HOST:PORT', group: 'Pool:' },
        user: { type: 'string', requiresArg: true, describe: 'pool user name (often ADDRESS.WORKER)', group: 'Pool:' },
        password: { type: 'string', requiresArg: true, describe: 'pool password (default x); other users see flags in the process list (ps): prefer POWLAB_POOL_PASSWORD', group: 'Pool:' },
        'version-rolling': { type: 'boolean', default: false, describe: 'negotiate version rolling with the pool (BIP 310)', group: 'Pool:' },
        'suggest-difficulty': { type: 'number', requiresArg: true, describe: 'ask the pool for this share difficulty', group: 'Pool:' },
      })
      .conflicts('address', 'script')
      .example('$0 mine --blocks 3 --zeros 16 --json', 'three easy blocks as JSON lines')
      .example('$0 mine --throttle 50', 'mine on half of each core until Ctrl-C')
      .example('$0 mine --dashboard --zeros 20', 'watch the run in a browser at the address it prints'),
  handler: async (argv) => {
    if (argv.pool !== undefined) {
      const { mineInPool } = await import('../mine-pool.js');
      return mineInPool({ ...argv, versionRolling: argv.versionRolling ?? false });
    }
    if (argv.rpc !== undefined) {
      const { mineOnNode } = await import('../mine-rpc.js');
      return mineOnNode(argv);
    }
    const { mineBuiltInChain } = await import('../mine-chain.js');
    await mineBuiltInChain(argv);
  },
};
