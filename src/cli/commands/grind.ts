import type { CommandModule } from 'yargs';
import { engineOptions, type EngineArgs } from '../mining.js';
import { targetOptions, type TargetArgs } from '../targets.js';

export interface GrindArgs extends EngineArgs, TargetArgs {
  header: string;
  start: number;
  count?: number;
}

export const grindCommand: CommandModule<object, GrindArgs> = {
  command: 'grind',
  describe: "Search one header's nonces for a hash that meets a target (like bitcoin-util grind)",
  builder: (y) =>
    y
      .options(engineOptions)
      .options(targetOptions)
      .options({
        header: { type: 'string', requiresArg: true, demandOption: true, describe: 'the header, 160 hex digits (its nonce is ignored)' },
        start: { type: 'number', requiresArg: true, default: 0, describe: 'first nonce to try' },
        count: { type: 'number', requiresArg: true, describe: 'how many nonces to try (default: to the end of the nonce space)' },
      })
      .example('$0 grind --header 0100…1d00000000 --zeros 20', 'find a nonce giving 20 leading zero bits'),
  handler: async (argv) => {
    const { grind } = await import('../grind.js');
    await grind(argv);
  },
};
