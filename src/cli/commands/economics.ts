import type { CommandModule } from 'yargs';
import { machineOptions, marketOptions, type EconomicsOptionTypes } from '../economics-options.js';

export const economicsCommand: CommandModule<object, EconomicsOptionTypes> = {
  command: 'economics',
  describe: 'Is mining worth it? Expected blocks, energy, cost and revenue, from a laptop to a country',
  builder: (y) =>
    y
      .options(machineOptions)
      .options(marketOptions)
      .conflicts('hashrate', 'measure')
      .conflicts('watts', 'power-mw')
      .conflicts('difficulty', 'network-hashrate')
      .example('$0 economics --preset laptop', 'this machine, measured, against the network')
      // Short enough that yargs never wraps a command into the next example's description.
      .example('$0 economics --preset national-100mw', "100 MW of a country's surplus hydro power")
      .example('$0 economics --preset s21 --kwh-price 0.06', 'one S21 at your own price')
      .example('$0 economics --hashrate 5e6 --watts 35', 'a laptop measured elsewhere, at its wall power'),
  handler: async (argv) => {
    const { runEconomics } = await import('../economics.js');
    await runEconomics(argv);
  },
};
