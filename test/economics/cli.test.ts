import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../../src/hash/backend.js';
import { formatDuration, formatHashrate } from '../../src/format/numbers.js';
import { runCli } from '../helpers/run-cli.js';

const OUTPUTS = [
  'expectedHashesPerBlock',
  'expectedSecondsPerBlock',
  'blocksPerDay',
  'btcPerDay',
  'probabilityAtLeastOneBlock',
  'kwhPerBlock',
  'costPerDay',
  'revenuePerDay',
  'breakEvenKwhPrice',
  'networkShare',
];

function close(actual: number, expected: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(1e-3);
}

async function economicsJson(args: string[]) {
  const result = await runCli(['economics', ...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('powlab economics (built CLI)', () => {
  it('prints every output under its name, worked out from the inputs it echoes', async () => {
    // A network of exactly 1 TH/s (D x 2^32 = 6e14), mined at 1 GH/s on 1 kW: figures worked by hand.
    const out = await economicsJson([
      '--hashrate',
      '1GH/s',
      '--watts',
      '1000',
      '--network-hashrate',
      '1TH/s',
      '--reward',
      '2',
      '--btc-price',
      '50000',
      '--kwh-price',
      '0.1',
      '--hours',
      '48',
    ]);
    for (const name of OUTPUTS) expect(typeof out[name]).toBe('number');
    expect(out.inputs).toMatchObject({
      preset: null,
      hashrate: 1e9,
      watts: 1000,
      efficiency: 1e6,
      networkHashrate: 1e12,
      reward: 2,
      btcPrice: 50_000,
      kwhPrice: 0.1,
      hours: 48,
    });
    expect(out.inputs.from).toMatchObject({
      hashrate: 'flag',
      networkHashrate: 'flag',
      difficulty: 'derived',
      efficiency: 'derived',
    });
    expect(out.measurement).toBeNull();
    close(out.inputs.difficulty, 6e14 / 2 ** 32);
    close(out.expectedHashesPerBlock, 6e14);
    close(out.expectedSecondsPerBlock, 6e5);
    close(out.blocksPerDay, 0.144);
    close(out.btcPerDay, 0.288);
    close(out.probabilityAtLeastOneBlock, 0.25023840776); // 1 - e^-0.288 over 48 hours
    close(out.kwhPerBlock, 166.6667);
    close(out.costPerDay, 2.4);
    close(out.revenuePerDay, 14_400);
    close(out.breakEvenKwhPrice, 600);
    close(out.networkShare, 1e-3);
  });

  it('--measure hashes on this machine and works every figure out from the rate it measured', async () => {
    const out = await economicsJson(['--measure', '--seconds', '0.5', '--watts', '50', '--difficulty', '148.2T']);
    const { measurement, inputs } = out;
    expect(measurement.hashes).toBeGreaterThan(0);
    expect(measurement.hashrate).toBeGreaterThan(0);
    expect(measurement.threads).toBeGreaterThanOrEqual(1);
    expect(BACKEND_NAMES).toContain(measurement.backend);
    close(measurement.hashrate, measurement.hashes / measurement.seconds);
    expect(inputs.hashrate).toBe(measurement.hashrate);
    expect(inputs.from.hashrate).toBe('measured');
    close(out.expectedSecondsPerBlock, (148.2e12 * 2 ** 32) / measurement.hashrate);
    close(out.kwhPerBlock, (50 * out.expectedSecondsPerBlock) / 3.6e6);
    close(inputs.efficiency, 50 / (measurement.hashrate / 1e12));
  });

  it('--preset laptop measures too, at 50 W and a household price', async () => {
    const out = await economicsJson(['--preset', 'laptop', '--seconds', '0.5']);
    expect(out.measurement.hashes).toBeGreaterThan(0);
    expect(out.inputs).toMatchObject({
      preset: 'laptop',
      hashrate: out.measurement.hashrate,
      watts: 50,
      kwhPrice: 0.17,
    });
  });

  it("a preset whose machine a flag replaced says what was given, not only the preset's machine", async () => {
    const given = await runCli(['economics', '--preset', 'national-100mw', '--efficiency', '25']);
    expect(given.code).toBe(0);
    expect(given.stdout.split('\n')[0]).toBe(
      "powlab economics: national-100mw with efficiency 25 J/TH given, in place of the preset's machine (a country mining with 100 MW of surplus hydro power in S21-class machines (17.5 J/TH))",
    );
    const plain = await runCli(['economics', '--preset', 'national-100mw']);
    expect(plain.stdout.split('\n')[0]).toBe(
      'powlab economics: national-100mw, a country mining with 100 MW of surplus hydro power in S21-class machines (17.5 J/TH)',
    );
  });

  it("--help gives each example on one line, so no description reads as the next command's", async () => {
    const help = await runCli(['economics', '--help']);
    const examples = help.stdout.slice(help.stdout.indexOf('Examples:')).trim().split('\n').slice(1);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const line of examples) expect(line).toMatch(/^ {2}powlab economics --\S+/);
  });

  it('prints a readable table for people, with the hashrate and time to a block formatted', async () => {
    const result = await runCli(['economics', '--preset', 's19']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const secondsPerBlock = (148.2e12 * 2 ** 32) / 95e12;
    expect(result.stdout).toMatch(new RegExp(`hashrate +${formatHashrate(95e12)} +preset s19, as of 2020`));
    expect(result.stdout).toMatch(
      new RegExp(`time to a block +${formatDuration(secondsPerBlock).replace(/[+.]/g, '\\$&')}`),
    );
    for (const row of [
      'blocks per day',
      'BTC per day',
      'a block within 24 h',
      'energy per block',
      'cost per day',
      'revenue per day',
      'break-even price',
      'network share',
    ]) {
      expect(result.stdout).toContain(row);
    }
    // eslint-disable-next-line no-control-regex -- the escape character is what NO_COLOR must keep out
    expect(result.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it.each([
    [['--preset', 'nope'], /--preset: unknown preset "nope"/],
    [['--hashrate', '1TH/s', '--watts', '-5'], /--watts: must be a finite number above zero/],
    [['--hashrate', '1TH/s', '--watts', '0'], /--watts/],
    [['--hashrate', '0', '--watts', '5'], /--hashrate/],
    [['--hashrate', 'NaN', '--watts', '5'], /--hashrate: not a hashrate: "NaN"/],
    [['--hashrate', 'fast', '--watts', '5'], /--hashrate: not a hashrate/],
    [['--power-mw', '-100', '--efficiency', '17.5'], /--power-mw/],
    [['--preset', 's19', '--btc-price', '0'], /--btc-price/],
    [['--preset', 's19', '--kwh-price', '-0.05'], /--kwh-price/],
    [['--preset', 's19', '--difficulty', 'high'], /--difficulty: not a difficulty/],
    [['--preset', 'laptop', '--hashrate', '5MH/s', '--measure'], /give --hashrate or --measure, not both/],
    [
      ['--preset', 's19', '--difficulty', '1', '--network-hashrate', '1EH/s'],
      /give --difficulty or --network-hashrate, not both/,
    ],
    [['--hashrate', '1TH/s'], /--watts: missing/],
  ])('%j: one line, exit 2', async (args, message) => {
    const result = await runCli(['economics', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
