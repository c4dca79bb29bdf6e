import type { CommandModule } from 'yargs';
import { DEFAULT_DATADIR } from '../mine-options.js';

interface ChainVerifyArgs {
  datadir: string;
  json: boolean;
}

const verifyCommand: CommandModule<object, ChainVerifyArgs> = {
  command: 'verify',
  describe: 'Re-check every stored block (links, proof of work, merkle root, BIP 34 height) and name the first bad one',
  builder: (y) =>
    y.options({
      datadir: { type: 'string', requiresArg: true, default: DEFAULT_DATADIR, describe: 'the built-in chain to check' },
      json: { type: 'boolean', default: false, describe: 'print the result as JSON' },
    }),
  handler: async (argv) => {
    const { verifyChain } = await import('../chain-verify.js');
    verifyChain(argv);
  },
};

const datadirOption = {
  type: 'string',
  requiresArg: true,
  default: DEFAULT_DATADIR,
  describe: 'the built-in chain to read',
} as const;

const listCommand: CommandModule<object, ChainVerifyArgs> = {
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

const showCommand: CommandModule<object, ChainVerifyArgs & { height: number }> = {
  command: 'show <height>',
  describe: "One block whole: its header's fields, the coinbase's outputs with value and payee, every transaction",
  builder: (y) =>
    y
      .positional('height', {
        type: 'number',
        demandOption: true,
        describe: 'the block to show (0: the regtest genesis)',
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

export const chainCommand: CommandModule = {
  command: 'chain <command>',
  describe: 'Inspect the built-in regtest chain: list its blocks, show one whole, verify them all',
  builder: (y) =>
    y
      .command(listCommand)
      .command(showCommand)
      .command(verifyCommand)
      .demandCommand(1, 'name a chain command (list, show, verify)'),
  handler: () => {},
};
