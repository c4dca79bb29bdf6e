import type { CommandModule } from 'yargs';
import { grindOptions, type GrindOptionTypes } from '../grind-options.js';

export const grindCommand: CommandModule<object, GrindOptionTypes> = {
  command: 'grind',
  describe: "Search one header's nonces for a hash that meets a target (like bitcoin-util grind)",
  builder: (y) =>
    y
      .options(grindOptions)
      .example('$0 grind --header 0100…1d00000000 --zeros 20', 'find a nonce giving 20 leading zero bits'),
  handler: async (argv) => {
    const { grind } = await import('../grind.js');
    await grind(argv);
  },
};
