import type { CommandModule } from 'yargs';

export interface BenchArgs {
  backends: string;
  threads?: string;
  seconds: number;
  rounds: number;
  json: boolean;
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'Measure every hashing backend at every thread count, as ratios from one run',
  builder: (y) =>
    y
      .options({
        backends: { type: 'string', requiresArg: true, default: 'noble,js,wasm', describe: 'comma-separated backends to measure' },
        threads: { type: 'string', requiresArg: true, describe: 'comma-separated thread counts (default: 1 and every core)' },
        // Rounds of half a second: long enough that a quiet laptop's rounds agree within a few percent.
        seconds: { type: 'number', requiresArg: true, default: 4, describe: 'measured seconds per backend and thread count' },
        rounds: { type: 'number', requiresArg: true, default: 8, describe: 'rounds per backend and thread count; the median counts, their spread says how far to trust it' },
        json: { type: 'boolean', default: false, describe: 'print {"machine", "results"} as JSON' },
      })
      .example('$0 bench', 'every backend on 1 thread and on every core')
      .example('$0 bench --backends noble,js,wasm --threads 1,2 --seconds 3 --json', 'the run bench/README.md reports, as data'),
  handler: async (argv) => {
    const { bench } = await import('../bench.js');
    await bench(argv);
  },
};
