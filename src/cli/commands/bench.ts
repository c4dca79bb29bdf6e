import type { CommandModule } from 'yargs';
import { benchOptions, type BenchOptionTypes } from '../bench-options.js';

export const benchCommand: CommandModule<object, BenchOptionTypes> = {
  command: 'bench',
  describe: 'Measure every hashing backend at every thread count, as ratios from one run',
  builder: (y) =>
    y
      .options(benchOptions)
      .conflicts('from', ['backends', 'threads', 'rounds', 'fixed-work', 'watts'])
      .example('$0 bench', 'every backend on 1 thread and on every core')
      .example(
        '$0 bench --backends noble,js,wasm --threads 1,2 --seconds 3 --json',
        'the run bench/README.md reports, as data',
      )
      .example('$0 bench --fixed-work 16 --backends js,wasm', 'the published workload: time, hashrate and its checksum')
      .example('$0 bench --from run.json --svg run.svg', 'a saved --json report drawn as a chart'),
  handler: async (argv) => {
    const { bench } = await import('../bench.js');
    await bench(argv);
  },
};
