import type { CommandModule } from 'yargs';
import { explainOptions, type ExplainOptionTypes } from '../explain-options.js';

export const explainCommand: CommandModule<object, ExplainOptionTypes> = {
  command: 'explain',
  describe: 'Walk through one header step by step: its bytes, the midstate, both SHA-256 passes, the target, the odds',
  builder: (y) =>
    y
      .options(explainOptions)
      .conflicts('header', ['height', 'block'])
      .conflicts('height', 'block')
      .conflicts('hashrate', ['measure', 'seconds'])
      .example('$0 explain', 'the tip of the built-in chain, or the regtest genesis')
      .example('$0 explain --height 3 --hashrate 2.5MH/s', 'block 3, predicting at 2.5 MH/s')
      .example('$0 explain --header 0100…7c --json', 'a main-net header, as data')
      .example('$0 explain --block block.hex', 'a whole block: its transactions, merkle tree, reward and coinbase'),
  handler: async (argv) => {
    const { explain } = await import('../explain.js');
    await explain(argv);
  },
};
