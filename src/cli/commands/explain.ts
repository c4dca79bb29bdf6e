import type { CommandModule } from 'yargs';
import { DEFAULT_MEASURE_SECONDS } from '../../miner/measure.js';
import { DEFAULT_DATADIR } from '../mine-options.js';

export interface ExplainArgs {
  header?: string;
  height?: number;
  datadir: string;
  json: boolean;
  /** Text, as `powlab economics` takes it: 5e6, 2.5MH/s. */
  hashrate?: string;
  measure?: boolean;
  seconds?: string;
  threads?: number;
}

export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: 'explain',
  describe: 'Walk through one header step by step: its bytes, the midstate, both SHA-256 passes, the target, the odds',
  builder: (y) =>
    y
      .options({
        header: { type: 'string', requiresArg: true, describe: 'explain this header (160 hex digits)' },
        height: { type: 'number', requiresArg: true, describe: 'explain the block at this height of the built-in chain (0: regtest genesis)' },
        datadir: { type: 'string', requiresArg: true, default: DEFAULT_DATADIR, describe: 'the built-in chain to read; with neither --header nor --height its tip is explained (the regtest genesis while it is empty)' },
        json: { type: 'boolean', default: false, describe: 'print the same facts as one JSON object' },
        hashrate: { type: 'string', requiresArg: true, describe: 'predict at this hashrate (5e6, 2.5MH/s) instead of measuring this machine' },
        measure: { type: 'boolean', describe: "measure this machine's hashrate on every core (what happens without --hashrate)" },
        seconds: { type: 'string', requiresArg: true, describe: `how long to measure (default: ${DEFAULT_MEASURE_SECONDS})` },
        threads: { type: 'number', requiresArg: true, describe: 'worker threads for the measurement (default: every core)' },
      })
      .conflicts('header', 'height')
      .conflicts('hashrate', ['measure', 'seconds'])
      .example('$0 explain', 'the tip of the built-in chain, or the regtest genesis')
      .example('$0 explain --height 3 --hashrate 2.5MH/s', 'block 3, predicting at 2.5 MH/s')
      .example('$0 explain --header 0100…7c --json', 'a main-net header, as data'),
  handler: async (argv) => {
    const { explain } = await import('../explain.js');
    await explain(argv);
  },
};
