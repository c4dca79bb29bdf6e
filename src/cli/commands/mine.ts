import type { CommandModule } from 'yargs';
import { mineOptions, type MineOptionTypes } from '../mine-options.js';

export const mineCommand: CommandModule<object, MineOptionTypes> = {
  command: 'mine',
  describe: 'Mine blocks: on the built-in regtest chain by default',
  builder: (y) =>
    y
      .options(mineOptions)
      .conflicts('address', 'script')
      // The chain options name the built-in chain; a node or a pool has its own.
      .conflicts('network', ['rpc', 'pool'])
      .conflicts('spacing', ['rpc', 'pool'])
      .conflicts('interval', ['rpc', 'pool'])
      .example('$0 mine --blocks 3 --zeros 16 --json', 'three easy blocks as JSON lines')
      .example('$0 mine --throttle 50', 'mine on half of each core until Ctrl-C')
      .example('$0 mine --dashboard --zeros 20', 'watch the run in a browser at the address it prints'),
  handler: async (argv) => {
    if (argv.pool !== undefined) {
      const { mineInPool } = await import('../mine-pool.js');
      return mineInPool(argv);
    }
    if (argv.rpc !== undefined) {
      const { mineOnNode } = await import('../mine-rpc.js');
      return mineOnNode(argv);
    }
    const { mineBuiltInChain } = await import('../mine-chain.js');
    await mineBuiltInChain(argv);
  },
};
