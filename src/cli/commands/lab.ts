import type { CommandModule } from 'yargs';
import {
  doubleSpendOptions,
  selfishOptions,
  staleOptions,
  type DoubleSpendArgs,
  type SelfishArgs,
  type StaleArgs,
} from '../lab-options.js';

const staleCommand: CommandModule<object, StaleArgs> = {
  command: 'stale',
  describe: 'Honest nodes over slow links: the stale rate at each latency against 1 - e^(-latency/spacing)',
  builder: (y) =>
    y
      .options(staleOptions)
      .example('$0 lab stale --latency 0,500 --spacing 1 --blocks 200', 'two runs, 200 blocks each'),
  handler: async (argv) => {
    const { labStale } = await import('../lab.js');
    await labStale(argv);
  },
};

const selfishCommand: CommandModule<object, SelfishArgs> = {
  command: 'selfish',
  describe: "One selfish node among honest ones: its share of the best chain against Eyal and Sirer's R(alpha, gamma)",
  builder: (y) =>
    y
      .options(selfishOptions)
      .example('$0 lab selfish --alpha 0.4 --blocks 300 --spacing 1', 'a third of the blocks and more'),
  handler: async (argv) => {
    const { labSelfish } = await import('../lab.js');
    await labSelfish(argv);
  },
};

const doubleSpendCommand: CommandModule<object, DoubleSpendArgs> = {
  command: 'double-spend',
  describe: "An attacker racing z confirmations: the success rate against Nakamoto's and Rosenfeld's formulas",
  builder: (y) => y.options(doubleSpendOptions).example('$0 lab double-spend --q 0.3 --z 2 --trials 200', '200 races'),
  handler: async (argv) => {
    const { labDoubleSpend } = await import('../lab.js');
    await labDoubleSpend(argv);
  },
};

export const labSubcommands = [staleCommand, selfishCommand, doubleSpendCommand];

export const labCommand: CommandModule = {
  command: 'lab',
  describe: 'Consensus labs: several nodes on this machine race for real, measured against the papers',
  builder: (y) =>
    y
      .command(staleCommand)
      .command(selfishCommand)
      .command(doubleSpendCommand)
      .demandCommand(1, 'lab needs a name: stale, selfish or double-spend (powlab lab --help says more)'),
  handler: () => {},
};
