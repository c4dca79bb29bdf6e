/** `powlab economics`: resolve the inputs (measuring this machine when asked), apply the model, print. */
import { findPreset } from '../economics/figures.js';
import { resolveInputs, type Origin, type ResolvedInputs } from '../economics/inputs.js';
import type { EconomicsCommandArgs } from './economics-options.js';
import { economics, type EconomicsResult } from '../economics/model.js';
import {
  formatChance,
  formatCount,
  formatDuration,
  formatHashrate,
  formatNumber,
  scaleByThousands,
} from '../format/numbers.js';
import { measuredOn, type Measurement } from '../miner/measure.js';
import { paint, printJson } from './output.js';
import { openEnergyMeter } from './energy.js';

export async function runEconomics(args: EconomicsCommandArgs): Promise<void> {
  let measurement: (Measurement & { watts?: number }) | null = null;
  const energy = openEnergyMeter();

  const inputs = await resolveInputs(
    args,
    async (seconds) => {
      const { measureThisMachine } = await import('./measuring.js');
      measurement = await measureThisMachine(seconds, undefined, 'meter' in energy ? energy.meter : undefined);
      return measurement;
    },
    'meter' in energy ? true : energy.unavailable,
  );
  const result = economics(inputs);
  if (args.json) printJson({ inputs, measurement, ...result });
  else process.stdout.write(report(inputs, result, measurement, 'meter' in energy ? energy.meter.source : undefined));
}

/** A readable table: the inputs with where each came from, then what follows from them. */
function report(
  inputs: ResolvedInputs,
  result: EconomicsResult,
  measurement: Measurement | null,
  energySource: string | undefined,
): string {
  const from = (name: keyof ResolvedInputs['from']) => origin(inputs.from[name], inputs.asOf[name], inputs.preset);
  const measured = measurement ? measuredOn(measurement) : '';
  const preset = inputs.preset ? findPreset(inputs.preset) : undefined;
  const profit = result.profitPerDay;
  const rows: Row[] = [
    ['Inputs', '', ''],
    ['hashrate', formatHashrate(inputs.hashrate), measured || from('hashrate')],
    ['power', formatPower(inputs.watts), powerNote(inputs, from('watts'), energySource)],
    ['efficiency', `${formatNumber(inputs.efficiency)} J/TH`, from('efficiency')],
    ['difficulty', formatCount(inputs.difficulty), from('difficulty')],
    ['network hashrate', formatHashrate(inputs.networkHashrate), from('networkHashrate')],
    ['reward', `${formatNumber(inputs.reward)} BTC per block`, from('reward')],
    ['bitcoin price', formatUsd(inputs.btcPrice), from('btcPrice')],
    ['electricity price', `${formatUsd(inputs.kwhPrice)} per kWh`, from('kwhPrice')],
    ['Expected', '', ''],
    ['hashes per block', formatNumber(result.expectedHashesPerBlock), 'difficulty x 2^32'],
    ['time to a block', formatDuration(result.expectedSecondsPerBlock), 'hashes per block / hashrate'],
    ['blocks per day', formatNumber(result.blocksPerDay), ''],
    ['BTC per day', formatNumber(result.btcPerDay), ''],
    [
      `a block within ${formatNumber(inputs.hours)} h`,
      formatChance(result.probabilityAtLeastOneBlock),
      'Poisson: 1 - e^-(expected blocks)',
    ],
    ['energy per block', formatEnergy(result.kwhPerBlock), ''],
    ['cost per day', formatUsd(result.costPerDay), 'electricity only'],
    ['revenue per day', formatUsd(result.revenuePerDay), ''],
    ['profit per day', paint(formatUsd(profit), profit >= 0 ? 'green' : 'red'), ''],
    ['break-even price', `${formatUsd(result.breakEvenKwhPrice)} per kWh`, 'revenue per day / kWh per day'],
    ['network share', formatPercent(result.networkShare), 'hashrate / network hashrate'],
  ];
  const title = preset ? `powlab economics: ${presetTitle(preset, inputs)}` : 'powlab economics';
  const verdict =
    result.breakEvenKwhPrice > inputs.kwhPrice
      ? `Pays at ${formatUsd(inputs.kwhPrice)} per kWh: it would keep paying up to ${formatUsd(result.breakEvenKwhPrice)}.`
      : `Does not pay at ${formatUsd(inputs.kwhPrice)} per kWh: it would need electricity under ${formatUsd(result.breakEvenKwhPrice)}.`;
  return `${paint(title, 'bold')}\n\n${table(rows)}\n${verdict}\n`;
}

/** Where the watts came from: measured (by what, and what that misses), or given and why not measured. */
function powerNote(inputs: ResolvedInputs, from: string, energySource: string | undefined): string {
  if (inputs.from.watts === 'measured')
    return `measured by ${energySource} over the same seconds (the CPU package, not the wall)`;
  return inputs.powerNotMeasured ? `${from}; not measured: ${inputs.powerNotMeasured}` : from;
}

/** The preset's own words, unless flags replaced its machine: then what was given comes first. */
function presetTitle(preset: { name: string; describe: string }, inputs: ResolvedInputs): string {
  const given = [
    inputs.from.hashrate === 'flag' ? `hashrate ${formatHashrate(inputs.hashrate)}` : '',
    inputs.from.watts === 'flag' ? `power ${formatPower(inputs.watts)}` : '',
    inputs.from.efficiency === 'flag' ? `efficiency ${formatNumber(inputs.efficiency)} J/TH` : '',
  ].filter(Boolean);
  if (given.length === 0) return `${preset.name}, ${preset.describe}`;
  return `${preset.name} with ${given.join(' and ')} given, in place of the preset's machine (${preset.describe})`;
}

type Row = [label: string, value: string, note: string];

function table(rows: Row[]): string {
  const width = (column: 0 | 1) =>
    Math.max(...rows.filter(([, value]) => value !== '').map((row) => visible(row[column]).length));
  const [labelWidth, valueWidth] = [width(0), width(1)];
  return rows
    .map(([label, value, note]) => {
      if (value === '') return paint(label, 'bold');
      const padded = value + ' '.repeat(Math.max(0, valueWidth - visible(value).length));
      return `  ${label.padEnd(labelWidth)}  ${padded}  ${paint(note, 'grey')}`.trimEnd();
    })
    .join('\n');
}

// eslint-disable-next-line no-control-regex
const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

function origin(from: Origin, asOf: string | undefined, preset: string | null): string {
  const what = from === 'preset' ? `preset ${preset}` : from === 'flag' ? 'given' : from;
  return asOf ? `${what}, as of ${asOf}` : what;
}

/** A share of the whole, not a chance: 0.57%, 1.9e-12%. */
function formatPercent(fraction: number): string {
  return `${formatNumber(fraction * 100)}%`;
}

function formatUsd(value: number): string {
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && magnitude < 0.01) return `${sign}$${magnitude.toExponential(2)}`;
  if (magnitude < 1) return `${sign}$${Number(magnitude.toPrecision(3))}`;
  return `${sign}$${magnitude.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function byThousands(quantity: number, units: readonly string[]): string {
  const { value, unit } = scaleByThousands(quantity, units);
  return `${formatNumber(value)} ${unit}`;
}

function formatPower(watts: number): string {
  return byThousands(watts, ['W', 'kW', 'MW', 'GW']);
}

function formatEnergy(kwh: number): string {
  return byThousands(kwh, ['kWh', 'MWh', 'GWh', 'TWh', 'PWh']);
}
