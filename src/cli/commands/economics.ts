import type { CommandModule, Options } from 'yargs';
import type { EconomicsCommandArgs } from '../../economics/run.js';

// Numbers arrive as text so a bad one can be quoted back; src/economics/inputs.ts parses them.
const machineOptions = {
  preset: { type: 'string', describe: 'laptop (measured), s9, s19, s19xp, s21 or national-100mw; flags override its figures' },
  hashrate: { type: 'string', describe: 'hashes per second: 5e6, 250MH/s, 120TH/s' },
  measure: { type: 'boolean', describe: "measure this machine's hashrate on every core" },
  seconds: { type: 'string', describe: 'how long --measure hashes (default: 2)' },
  watts: { type: 'string', describe: 'power drawn, in watts' },
  'power-mw': { type: 'string', describe: 'power drawn, in megawatts (a farm, a country)' },
  efficiency: { type: 'string', describe: 'joules per terahash (J/TH): with a power, gives the hashrate' },
} as const satisfies Record<string, Options>;

const marketOptions = {
  difficulty: { type: 'string', describe: 'network difficulty: 148.2e12 or 148.2T (default: end of 2025)', group: 'Network and market:' },
  'network-hashrate': { type: 'string', describe: 'network hashrate instead of a difficulty: 1.06EH/s … (difficulty = H x 600 / 2^32)', group: 'Network and market:' },
  reward: { type: 'string', describe: 'BTC per block, subsidy plus fees (default: 3.161)', group: 'Network and market:' },
  'btc-price': { type: 'string', describe: 'USD per BTC (default: 87500, the 2025 close)', group: 'Network and market:' },
  'kwh-price': { type: 'string', describe: "USD per kWh (default: the preset's, else 0.17)", group: 'Network and market:' },
  hours: { type: 'string', describe: 'the period for the chance of a block (default: 24)', group: 'Network and market:' },
  json: { type: 'boolean', default: false, describe: 'print the inputs and results as one JSON object' },
} as const satisfies Record<string, Options>;

export const economicsCommand: CommandModule<object, EconomicsCommandArgs> = {
  command: 'economics',
  describe: 'Is mining worth it? Expected blocks, energy, cost and revenue, from a laptop to a country',
  builder: (y) =>
    y
      .options(machineOptions)
      .options(marketOptions)
      .conflicts('hashrate', 'measure')
      .conflicts('watts', 'power-mw')
      .conflicts('difficulty', 'network-hashrate')
      .example('$0 economics --preset laptop', "this machine, measured, against the network")
      .example('$0 economics --preset national-100mw --efficiency 21.5', '100 MW of S19 XP-class machines')
      .example('$0 economics --hashrate 200TH/s --watts 3500 --kwh-price 0.06 --json', 'one S21 on your own figures'),
  handler: async (argv) => {
    const { runEconomics } = await import('../../economics/run.js');
    await runEconomics(argv);
  },
};
