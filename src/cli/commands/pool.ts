import type { CommandModule, InferredOptionTypes } from 'yargs';
import { poolOptions } from '../pool-options.js';

export const poolCommand: CommandModule<object, InferredOptionTypes<typeof poolOptions>> = {
  command: 'pool',
  describe: 'Run a Stratum v1 pool for a class: on the built-in chain by default, or on a node with --rpc',
  builder: (y) =>
    y
      .options(poolOptions)
      .conflicts('address', 'script')
      // The chain options name the built-in chain; a node has its own.
      .conflicts('network', 'rpc')
      .conflicts('spacing', 'rpc')
      .conflicts('interval', 'rpc')
      .example('$0 pool --host 0.0.0.0', 'the teacher: a pool the class can reach on port 3333, its page on 8422')
      .example(
        '$0 pool --network classnet --spacing 5',
        'a pool on a chain whose difficulty retargets to a block every 5 s',
      )
      .example('$0 mine --pool stratum+tcp://TEACHER:3333 --user alice', 'each student'),
  handler: async (argv) => {
    const { runPool } = await import('../pool.js');
    await runPool(argv);
  },
};
