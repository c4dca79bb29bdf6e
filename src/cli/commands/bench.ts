import type { CommandModule } from 'yargs';
import { benchOptions, type BenchOptionTypes } from '../bench-options.js';

export const benchCommand: CommandModule<object, BenchOptionTypes> = {
  command: 'bench',
  describe: 'Measure every hashing backend at every thread count, as ratios from one run',
  builder: (y) =>
    y
      .options(benchOptions)
      .example('$0 bench', 'every backend on 1 thread and on every core')
      .example(
        '$0 bench --backends noble,js,wasm --threads 1,2 --seconds 3 --json',
        'the run bench/README.md reports, as data',
      ),
  handler: async (argv) => {
    const { bench } = await import('../bench.js');
    await bench(argv);
  },
};
