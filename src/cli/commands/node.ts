import type { CommandModule } from 'yargs';
import { nodeOptions, type NodeArgs } from '../node-options.js';

export const nodeCommand: CommandModule<object, NodeArgs> = {
  command: 'node',
  describe: "Run a node that speaks Bitcoin's P2P protocol with other powlab nodes and real ones, and mine with them",
  builder: (y) =>
    y
      .options(nodeOptions)
      .example('$0 node --network classnet --mine', 'listen on 127.0.0.1:18444 and mine')
      .example('$0 node --network classnet --port 18445 --connect 127.0.0.1:18444 --mine', 'a second node, its peer'),
  handler: async (argv) => {
    const { runNode } = await import('../node.js');
    await runNode(argv);
  },
};
