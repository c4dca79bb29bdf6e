/**
 * From command-line text to the model's inputs: strict number and hashrate parsing, presets with
 * flags over them, and the third of hashrate, power and efficiency derived from the other two.
 * Every check happens before any measurement starts, so bad input never waits on the miner.
 */
import { Errors } from '../errors.js';
import { DEFAULT_MEASURE_SECONDS, MAX_MEASURE_SECONDS } from '../miner/measure.js';
import { DEFAULTS, findPreset, PRESETS, type Figure, type MachineFigure } from './figures.js';
import { difficultyFromNetworkHashrate, networkHashrateFromDifficulty, type EconomicsInputs } from './model.js';

/** The options as yargs hands them over: numbers stay text so a bad one can be quoted back. */
export interface EconomicsArgs {
  preset?: string;
  hashrate?: string;
  measure?: boolean;
  seconds?: string;
  watts?: string;
  powerMw?: string;
  efficiency?: string;
  difficulty?: string;
  networkHashrate?: string;
  reward?: string;
  btcPrice?: string;
  kwhPrice?: string;
  hours?: string;
}

export type Origin = 'flag' | 'preset' | 'default' | 'measured' | 'derived';

/** What --measure found: the hashrate, and the watts drawn meanwhile where the machine could tell. */
export interface MachineMeasurement {
  hashrate: number;
  watts?: number;
}

/** Whether --measure can read the power drawn too (RAPL): true, or why not in one line. */
export type PowerReading = true | string;

export interface ResolvedInputs extends EconomicsInputs {
  preset: string | null;
  /** Why the power was not measured while the hashrate was (its figure then came from a flag or preset); null otherwise. */
  powerNotMeasured: string | null;
  /** Joules per terahash. */
  efficiency: number;
  networkHashrate: number;
  /** Where each input came from. */
  from: Record<InputName, Origin>;
  /** The date of each input taken from a preset or the defaults (docs/economics.md gives the sources). */
  asOf: Partial<Record<InputName, string>>;
}

type InputName = keyof EconomicsInputs | 'efficiency' | 'networkHashrate';

export const DEFAULT_HOURS = 24;
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?`;
const PLAIN_NUMBER = new RegExp(`^[+-]?${NUMBER}$`, 'i');
const HASHRATE = new RegExp(`^([+-]?${NUMBER})\\s*(?:([kmgtpez]?)h(?:/s)?)?$`, 'i');
const DIFFICULTY = new RegExp(`^([+-]?${NUMBER})\\s*([kmgtp]?)$`, 'i');
const SI_PREFIXES: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18, z: 1e21 };

function single(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A number written in decimal ("3250", "-0.05", "1.2e3"), or undefined: not hex, not Infinity, not ''. */
export function plainNumber(text: string): number | undefined {
  return PLAIN_NUMBER.test(text.trim()) ? Number(text.trim()) : undefined;
}

function mustBePositive(option: string, text: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw Errors.badOption(option, `must be a finite number above zero, got ${text}`);
  return value;
}

/** A positive decimal number ("3250", "0.05", "1.2e3"); nothing else, not even hex or Infinity. */
export function parsePositive(option: string, value: unknown): number | undefined {
  const text = single(value);
  if (text === undefined) return undefined;
  if (!PLAIN_NUMBER.test(text)) throw Errors.badOption(option, `not a number: "${text}"`);
  return mustBePositive(option, text, Number(text));
}

/** Zero or a positive decimal number: a price that may be nothing (free power: solar, or a landlord's). */
export function parseNonNegative(option: string, value: unknown): number | undefined {
  const text = single(value);
  if (text === undefined) return undefined;
  if (!PLAIN_NUMBER.test(text)) throw Errors.badOption(option, `not a number: "${text}"`);
  const number = Number(text);
  if (!(number >= 0) || !Number.isFinite(number))
    throw Errors.badOption(option, `must be a finite number, zero or more, got ${text}`);
  return number;
}

/** Hashes per second from "5e6", "120TH/s", "1.5 EH/s", "500kH" (a prefix needs its H). */
export function parseHashrate(option: string, value: unknown): number | undefined {
  const text = single(value);
  if (text === undefined) return undefined;
  const match = HASHRATE.exec(text);
  if (!match) throw Errors.badOption(option, `not a hashrate: "${text}" (try 5e6, 250MH/s or 120TH/s)`);
  return mustBePositive(option, text, Number(match[1]) * SI_PREFIXES[(match[2] ?? '').toLowerCase()]);
}

/** A difficulty as a plain number or with the prefix it is usually quoted with: "148.2T". */
export function parseDifficulty(option: string, value: unknown): number | undefined {
  const text = single(value);
  if (text === undefined) return undefined;
  const match = DIFFICULTY.exec(text);
  if (!match) throw Errors.badOption(option, `not a difficulty: "${text}" (try 148.2e12 or 148.2T)`);
  return mustBePositive(option, text, Number(match[1]) * SI_PREFIXES[match[2].toLowerCase()]);
}

/** How long --measure measures: a positive number of seconds, at most a minute. */
export function parseMeasureSeconds(value: unknown): number {
  const seconds = parsePositive('seconds', value) ?? DEFAULT_MEASURE_SECONDS;
  if (seconds > MAX_MEASURE_SECONDS)
    throw Errors.badOption('seconds', `a measurement of at most ${MAX_MEASURE_SECONDS} s is plenty, got ${seconds}`);
  return seconds;
}

type MachineQuantity = MachineFigure['quantity'];
type Input = { value: number; origin: Origin; asOf?: string };
/** A machine quantity as the options give it: a hashrate may still be waiting for its measurement. */
type Given = Input | { value: 'measure'; origin: 'measured' };

/**
 * The inputs for the model. `measure` runs (for `seconds`) only when the machine's hashrate is to be
 * measured, and only after every option has been checked.
 */
export async function resolveInputs(
  args: EconomicsArgs,
  measure: (seconds: number) => Promise<MachineMeasurement>,
  power: PowerReading = 'power not measured here',
): Promise<ResolvedInputs> {
  const presetName = single(args.preset);
  const preset = presetName === undefined ? undefined : findPreset(presetName);
  if (presetName !== undefined && !preset) {
    throw Errors.badOption(
      'preset',
      `unknown preset "${presetName}" (known: ${PRESETS.map((p) => p.name).join(', ')})`,
    );
  }
  if (args.measure && preset && !preset.machine.some(({ figure }) => figure === 'measure')) {
    throw Errors.badOption(
      'measure',
      `measures this machine, but the ${preset.name} preset describes other hardware: drop one of them`,
    );
  }
  const machine = machineFromArgs(args, preset?.machine ?? [], power);
  const { difficulty, networkHashrate } = networkFromArgs(args);
  const reward = flagOr(parsePositive('reward', args.reward), DEFAULTS.reward, 'default');
  const btcPrice = flagOr(parsePositive('btc-price', args.btcPrice), DEFAULTS.btcPrice, 'default');
  const kwhPrice = flagOr(
    parseNonNegative('kwh-price', args.kwhPrice),
    preset?.kwhPrice ?? DEFAULTS.kwhPrice,
    preset ? 'preset' : 'default',
  );
  const hoursFlag = parsePositive('hours', args.hours);
  const hours: Input =
    hoursFlag === undefined ? { value: DEFAULT_HOURS, origin: 'default' } : { value: hoursFlag, origin: 'flag' };
  const seconds = parseMeasureSeconds(args.seconds);
  const given = machine.get('hashrate');
  if (args.seconds !== undefined && given?.value !== 'measure')
    throw Errors.badOption('seconds', 'sets how long --measure measures, and nothing is measured here');

  let powerNotMeasured: string | null = null;
  if (given?.value === 'measure') {
    const measured = await measure(seconds);
    machine.set('hashrate', { value: measured.hashrate, origin: 'measured' });
    if (machine.get('watts')?.value === 'measure') {
      if (measured.watts === undefined) throw new Error('the power was to be measured, and was not');
      machine.set('watts', { value: measured.watts, origin: 'measured' });
    } else if (power !== true) powerNotMeasured = power;
  }
  const { hashrate, watts, efficiency } = completeMachine(machine as Map<MachineQuantity, Input>);

  const inputs: Record<InputName, Input> = {
    hashrate,
    watts,
    efficiency,
    difficulty,
    networkHashrate,
    reward,
    btcPrice,
    kwhPrice,
    hours,
  };
  const entries = Object.entries(inputs) as [InputName, Input][];
  return {
    preset: preset?.name ?? null,
    powerNotMeasured,
    ...(Object.fromEntries(entries.map(([name, input]) => [name, input.value])) as Record<InputName, number>),
    from: Object.fromEntries(entries.map(([name, input]) => [name, input.origin])) as Record<InputName, Origin>,
    asOf: Object.fromEntries(entries.flatMap(([name, input]) => (input.asOf ? [[name, input.asOf]] : []))),
  };
}

function flagOr(flag: number | undefined, fallback: Figure, origin: Origin): Input {
  return flag === undefined ? { value: fallback.value, origin, asOf: fallback.asOf } : { value: flag, origin: 'flag' };
}

/** Flags first; then the preset's figures in its order, until two of the three quantities are known. */
function machineFromArgs(
  args: EconomicsArgs,
  presetMachine: MachineFigure[],
  power: PowerReading,
): Map<MachineQuantity, Given> {
  const machine = new Map<MachineQuantity, Given>();
  const hashrate = parseHashrate('hashrate', args.hashrate);
  if (hashrate !== undefined) machine.set('hashrate', { value: hashrate, origin: 'flag' });
  if (args.measure) machine.set('hashrate', { value: 'measure', origin: 'measured' });
  const watts = parsePositive('watts', args.watts);
  const powerMw = parsePositive('power-mw', args.powerMw);
  if (watts !== undefined) machine.set('watts', { value: watts, origin: 'flag' });
  if (powerMw !== undefined) machine.set('watts', { value: powerMw * 1e6, origin: 'flag' });
  const efficiency = parsePositive('efficiency', args.efficiency);
  if (efficiency !== undefined) machine.set('efficiency', { value: efficiency, origin: 'flag' });
  if (machine.size === 3) {
    throw Errors.badOption(
      'efficiency',
      'give two of hashrate, power and efficiency: the third follows from them (W = J/TH x TH/s)',
    );
  }
  // Measured watts, where they can be read, beat a preset's assumption; a flag beats both.
  const measuringPower = () => power === true && machine.get('hashrate')?.value === 'measure';
  if (machine.size === 1 && measuringPower()) machine.set('watts', { value: 'measure', origin: 'measured' });
  for (const { quantity, figure } of presetMachine) {
    if (machine.size === 2 || machine.has(quantity)) continue;
    machine.set(
      quantity,
      figure === 'measure' || (quantity === 'watts' && measuringPower())
        ? { value: 'measure', origin: 'measured' }
        : { value: figure.value, origin: 'preset', asOf: figure.asOf },
    );
  }
  if (!machine.has('hashrate') && !(machine.has('watts') && machine.has('efficiency'))) {
    throw Errors.badOption(
      'hashrate',
      'missing: give --hashrate, --measure or a --preset (or --power-mw with --efficiency)',
    );
  }
  if (machine.size < 2)
    throw Errors.badOption(
      'watts',
      `missing: give --watts, --power-mw or --efficiency (J/TH), or a --preset${power === true ? '' : `; the power cannot be measured: ${power}`}`,
    );
  return machine;
}

function networkFromArgs(args: EconomicsArgs): { difficulty: Input; networkHashrate: Input } {
  const networkHashrate = parseHashrate('network-hashrate', args.networkHashrate);
  if (networkHashrate !== undefined) {
    return {
      networkHashrate: { value: networkHashrate, origin: 'flag' },
      difficulty: { value: difficultyFromNetworkHashrate(networkHashrate), origin: 'derived' },
    };
  }
  const difficulty = flagOr(parseDifficulty('difficulty', args.difficulty), DEFAULTS.difficulty, 'default');
  return { difficulty, networkHashrate: { value: networkHashrateFromDifficulty(difficulty.value), origin: 'derived' } };
}

/** The third quantity from the other two: W = J/TH x TH/s. */
function completeMachine(machine: Map<MachineQuantity, Input>): Record<MachineQuantity, Input> {
  const { hashrate, watts, efficiency } = Object.fromEntries(machine) as Partial<Record<MachineQuantity, Input>>;
  if (hashrate && watts)
    return { hashrate, watts, efficiency: { value: watts.value / (hashrate.value / 1e12), origin: 'derived' } };
  if (hashrate && efficiency)
    return { hashrate, efficiency, watts: { value: efficiency.value * (hashrate.value / 1e12), origin: 'derived' } };
  if (watts && efficiency)
    return { watts, efficiency, hashrate: { value: (watts.value / efficiency.value) * 1e12, origin: 'derived' } };
  throw new Error('a machine needs two of hashrate, watts and efficiency');
}
