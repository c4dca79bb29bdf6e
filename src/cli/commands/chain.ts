import type { CommandModule, InferredOptionTypes } from 'yargs';
import { checkWhole } from '../../mining/limits.js';
import { networkOptions, type NetworkArgs } from '../chain-options.js';
import { numberArg } from '../option-args.js';

const chainOptions = {
  ...networkOptions,
  datadir: {
    ...networkOptions.datadir,
    describe:
      'the built-in chain to read (default: ~/.powlab/regtest, or ~/.powlab/classnet; one that does not exist yet holds just the genesis)',
  },
} as const;

/** What every chain command takes, as yargs infers it from the options each gives. */
type ChainArgs = InferredOptionTypes<typeof chainOptions & { json: { type: 'boolean'; default: false } }>;

const verifyCommand: CommandModule<object, ChainArgs> = {
  command: 'verify',
  describe:
    'Re-check every stored block (links, proof of work, merkle root, BIP 34 height; on classnet the retarget and time rules) and name the first bad one',
  builder: (y) =>
    y.options({
      ...chainOptions,
      json: { type: 'boolean', default: false, describe: 'print the result as JSON' },
    }),
  handler: async (argv) => {
    const { verifyChain } = await import('../chain-verify.js');
    verifyChain(argv);
  },
};

const listCommand: CommandModule<object, ChainArgs & { all: boolean }> = {
  command: 'list',
  describe:
    'One line per block of the active chain, the genesis first: height, hash, time, bits, transactions, coinbase value and payee',
  builder: (y) =>
    y.options({
      ...chainOptions,
      all: { type: 'boolean', default: false, describe: 'the side branches too (stale blocks, active: false)' },
      json: {
        type: 'boolean',
        default: false,
        describe: 'one JSON object per block: height, hash, prev, time, bits, chainwork, active and more',
      },
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
        describe: 'the block to show: its height in decimal (0: the genesis), or its hash',
      })
      .options({
        ...chainOptions,
        json: { type: 'boolean', default: false, describe: 'print the block as one JSON object' },
      })
      .example('$0 chain show 1', 'the first block mined'),
  handler: async (argv) => {
    const { showBlock } = await import('../chain-show.js');
    showBlock(argv);
  },
};

const exportCommand: CommandModule<object, NetworkArgs & { from: number }> = {
  command: 'export',
  describe: 'Print the active chain’s blocks whole, in hex, one a line (for chain submit in another datadir)',
  builder: (y) =>
    y.options({
      ...chainOptions,
      from: {
        type: 'string',
        requiresArg: true,
        default: '1',
        coerce: numberArg('from', (from) => checkWhole('from', { min: 0 }, from)),
        describe: "the first height to print (the genesis is every copy's own, so never printed)",
      },
    }),
  handler: async (argv) => {
    const { exportChain } = await import('../chain-submit.js');
    exportChain(argv);
  },
};

const submitCommand: CommandModule<object, ChainArgs & { blocks?: string }> = {
  command: 'submit <blocks>',
  describe:
    'Check blocks and add them to the chain, side branches included: hex, a file of hex blocks one a line, or - for stdin',
  builder: (y) =>
    y
      .positional('blocks', {
        type: 'string',
        // yargs fills a positional by parsing it again as `--blocks -`, which reads a lone '-' as no value.
        coerce: (raw: unknown) => (raw === '' || raw === true ? '-' : String(raw)),
        describe: 'a block in hex, a file of them, or - (stdin)',
      })
      .options({
        ...chainOptions,
        json: { type: 'boolean', default: false, describe: 'one JSON object per block, and one per reorg' },
      })
      .example('$0 chain export --datadir a | $0 chain submit - --datadir b', "a's blocks into b"),
  handler: async (argv) => {
    const { submitBlocks } = await import('../chain-submit.js');
    await submitBlocks(argv);
  },
};

const treeCommand: CommandModule<object, NetworkArgs & { blocks: number }> = {
  command: 'tree',
  describe: 'Draw the last blocks as a tree: the active chain and the branches beside it',
  builder: (y) =>
    y.options({
      ...chainOptions,
      blocks: {
        type: 'string',
        requiresArg: true,
        default: '20',
        coerce: numberArg('blocks', (blocks) => checkWhole('blocks', { min: 1, max: 1000 }, blocks)),
        describe: 'how many heights to draw, down from the tip, 1 to 1000',
      },
    }),
  handler: async (argv) => {
    const { drawTree } = await import('../chain-tree.js');
    drawTree(argv);
  },
};

export const chainSubcommands = [listCommand, showCommand, verifyCommand, exportCommand, submitCommand, treeCommand];

export const chainCommand: CommandModule = {
  command: 'chain',
  describe: 'The built-in chain: list its blocks, show one whole, verify them, export, submit, draw the tree',
  builder: (y) =>
    y
      .command(listCommand)
      .command(showCommand)
      .command(verifyCommand)
      .command(exportCommand)
      .command(submitCommand)
      .command(treeCommand)
      .demandCommand(
        1,
        'chain needs a command: list, show N, verify, export, submit or tree (powlab chain --help says more)',
      ),
  handler: () => {},
};
