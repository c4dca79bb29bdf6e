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

export const chainCommand: CommandModule = {
  command: 'chain <command>',
  describe: 'Inspect the built-in regtest chain',
  builder: (y) => y.command(verifyCommand).demandCommand(1, 'name a chain command (verify)'),
  handler: () => {},
};
