/** The options of `powlab economics`, and the argv type yargs infers from them. */
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { DEFAULTS, PRESETS } from '../economics/figures.js';
import { DEFAULT_HOURS } from '../economics/inputs.js';
import { DEFAULT_MEASURE_SECONDS, MAX_MEASURE_SECONDS } from '../miner/measure.js';

// Numbers arrive as text so a bad one can be quoted back; src/economics/inputs.ts parses them.
export const machineOptions = {
  preset: {
    type: 'string',
    requiresArg: true,
    describe: `${PRESETS.map((p) => p.name).join(', ')}: a machine and a kWh price; flags override its figures`,
    group: 'Machine:',
  },
  hashrate: {
    type: 'string',
    requiresArg: true,
    describe: 'hashes per second: 5e6, 250MH/s, 120TH/s',
    group: 'Machine:',
  },
  measure: {
    type: 'boolean',
    describe: "measure this machine's hashrate on every core, and its power where RAPL's counters are readable",
    group: 'Machine:',
  },
  seconds: {
    type: 'string',
    requiresArg: true,
    describe: `how long --measure hashes, in seconds, at most ${MAX_MEASURE_SECONDS} (default: ${DEFAULT_MEASURE_SECONDS})`,
    group: 'Machine:',
  },
  watts: { type: 'string', requiresArg: true, describe: 'power drawn, in watts', group: 'Machine:' },
  'power-mw': {
    type: 'string',
    requiresArg: true,
    describe: 'power drawn, in megawatts (a farm, a country)',
    group: 'Machine:',
  },
  efficiency: {
    type: 'string',
    requiresArg: true,
    describe: 'joules per terahash (J/TH); two of hashrate, power and efficiency give the third',
    group: 'Machine:',
  },
} as const satisfies Record<string, Options>;

const since = (figure: { value: number; asOf: string }) => `default: ${figure.value}, as of ${figure.asOf}`;

export const marketOptions = {
  difficulty: {
    type: 'string',
    requiresArg: true,
    describe: `network difficulty, 148.2e12 or 148.2T (${since(DEFAULTS.difficulty)})`,
    group: 'Network and market:',
  },
  'network-hashrate': {
    type: 'string',
    requiresArg: true,
    describe: 'network hashrate instead of a difficulty, e.g. 1000EH/s (difficulty = H x 600 / 2^32)',
    group: 'Network and market:',
  },
  reward: {
    type: 'string',
    requiresArg: true,
    describe: `BTC per block, subsidy plus fees (${since(DEFAULTS.reward)})`,
    group: 'Network and market:',
  },
  'btc-price': {
    type: 'string',
    requiresArg: true,
    describe: `USD per BTC (${since(DEFAULTS.btcPrice)})`,
    group: 'Network and market:',
  },
  'kwh-price': {
    type: 'string',
    requiresArg: true,
    describe: `USD per kWh, 0 for free power (default: the preset's, else ${DEFAULTS.kwhPrice.value})`,
    group: 'Network and market:',
  },
  hours: {
    type: 'string',
    requiresArg: true,
    describe: `the period for the chance of a block, in hours (default: ${DEFAULT_HOURS})`,
    group: 'Network and market:',
  },
  json: { type: 'boolean', default: false, describe: 'print the inputs and results as one JSON object' },
} as const satisfies Record<string, Options>;

export type EconomicsOptionTypes = InferredOptionTypes<typeof machineOptions & typeof marketOptions>;
export type EconomicsCommandArgs = ArgumentsCamelCase<EconomicsOptionTypes>;
