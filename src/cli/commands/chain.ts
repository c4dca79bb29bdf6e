import type { CommandModule, InferredOptionTypes } from 'yargs';
import { DEFAULT_DATADIR } from '../mine-options.js';

/** What every chain command takes, as yargs infers it from the options each gives. */
type ChainArgs = InferredOptionTypes<{ datadir: typeof datadirOption; json: { type: 'boolean'; default: false } }>;

const datadirOption = {
  type: 'string',
  requiresArg: true,
  default: DEFAULT_DATADIR,
  describe: 'the built-in chain to read (one that does not exist yet holds just the regtest genesis)',
} as const;

const verifyCommand: CommandModule<object, ChainArgs> = {
  command: 'verify',
  describe: 'Re-check every stored block (links, proof of work, merkle root, BIP 34 height) and name the first bad one',
  builder: (y) =>
    y.options({
      datadir: { ...datadirOption, describe: 'the built-in chain to check' },
      json: { type: 'boolean', default: false, describe: 'print the result as JSON' },
    }),
  handler: async (argv) => {
    const { verifyChain } = await import('../chain-verify.js');
    verifyChain(argv);
  },
};

const listCommand: CommandModule<object, ChainArgs> = {
  command: 'list',
  describe: 'One line per block, the genesis first: height, hash, time, transactions, coinbase value and payee',
  builder: (y) =>
    y.options({
      datadir: datadirOption,
      json: { type: 'boolean', default: false, describe: 'one JSON object per block' },
    }),
  handler: async (argv) => {
    const { listChain } = await import('../chain-show.js');
    listChain(argv);
  },
};

const showDescribe =
  "One block whole: its header's fields, the coinbase's outputs with value and payee, every transaction";

// Optional to yargs, so that a missing block is answered by showBlock, with the heights there are; its
// own help names it as needed.
const showCommand: CommandModule<object, ChainArgs & { block?: string }> = {
  command: 'show [block]',
  describe: showDescribe,
  builder: (y) =>
    y
      .usage(`$0 chain show <block>\n\n${showDescribe}`)
      .positional('block', {
        type: 'string',
        describe: 'the block to show: its height in decimal (0: the regtest genesis), or its hash',
      })
      .options({
        datadir: datadirOption,
        json: { type: 'boolean', default: false, describe: 'print the block as one JSON object' },
      })
      .example('$0 chain show 1', 'the first block mined'),
  handler: async (argv) => {
    const { showBlock } = await import('../chain-show.js');
    showBlock(argv);
  },
};

export const chainSubcommands = [listCommand, showCommand, verifyCommand];

export const chainCommand: CommandModule = {
  command: 'chain',
  describe: 'Inspect the built-in regtest chain: list its blocks, show one whole, verify them all',
  builder: (y) =>
    y
      .command(listCommand)
      .command(showCommand)
      .command(verifyCommand)
      .demandCommand(1, 'chain needs a command: list, show N or verify (powlab chain --help says more)'),
  handler: () => {},
};
