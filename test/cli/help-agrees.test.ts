// Every range and default an option's --help states is the one its check applies (issue 20).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { targetFromZeroBits, targetToBits } from '../../src/core/target.js';
import vectors from '../vectors/headers.json' with { type: 'json' };
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-help-agrees-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER = vectors.valid[0].hex;
const datadir = join(root, 'chain');

/** The description --help gives one option, its wrapped lines joined. */
async function helpFor(command: string, option: string): Promise<string> {
  const lines = (await runCli([command, '--help'])).stdout.split('\n');
  const first = lines.findIndex((line) => line.startsWith(`  --${option} `));
  expect(first, `--${option} in ${command} --help`).toBeGreaterThan(-1);
  const more = lines.slice(first + 1).findIndex((line) => !/^ {6,}\S/.test(line));
  return lines
    .slice(first, first + 1 + more)
    .join(' ')
    .replace(/\s+/g, ' ');
}

describe('an option whose help states a range is checked against that range', () => {
  it.each([
    // [command, option, the range --help states, a value just outside it, what else the command needs]
    ['mine', 'zeros', '1 to 255', '0', ['--datadir', datadir]],
    ['mine', 'zeros', '1 to 255', '256', ['--datadir', datadir]],
    ['grind', 'zeros', '0 to 255', '256', ['--header', HEADER]],
    ['mine', 'throttle', '(1-100)', '101', ['--datadir', datadir]],
    ['mine', 'throttle', '(1-100)', '0', ['--datadir', datadir]],
    ['grind', 'start', '0 to 4294967295', '4294967296', ['--header', HEADER]],
    // A longer timer would fire at once (Node's delays are signed 32-bit milliseconds).
    ['mine', 'duration', 'at most 2147483', '2147484', ['--datadir', datadir]],
    ['explain', 'seconds', 'at most 60', '61', ['--header', HEADER]],
    ['economics', 'seconds', 'at most 60', '61', ['--preset', 'laptop']],
  ])('%s --%s: help says %s, and %s is refused in one line', async (command, option, range, outside, needs) => {
    expect(await helpFor(command, option)).toContain(range);
    const result = await runCli([command, ...needs, `--${option}`, outside]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^powlab: --${option}: `));
    expect(result.stderr).not.toContain('NaN');
  });

  it('mine --zeros: the refusal names the range the help states, and the easiest one allowed mines', async () => {
    const refused = await runCli(['mine', '--zeros', '0', '--datadir', datadir]);
    expect(refused.stderr).toMatch(/^powlab: --zeros: must be a whole number from 1 to 255, got 0$/m);
    const easiest = await runCli([
      ...['mine', '--zeros', '1', '--blocks', '1', '--json'],
      ...['--threads', '1', '--backend', 'wasm', '--datadir', datadir],
    ]);
    expect(easiest.stderr).toBe('');
    expect(easiest.code).toBe(0);
  });

  it('grind --zeros 0, the easiest its help allows, takes the first nonce tried', async () => {
    const result = await runCli([
      ...['grind', '--header', HEADER, '--zeros', '0', '--start', '7'],
      ...['--threads', '1', '--backend', 'wasm', '--json'],
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ nonce: 7, hashes: 1 });
  });

  it('mine --zeros names its default, and that default is the target mined at', async () => {
    const help = await helpFor('mine', 'zeros');
    const byDefault = Number(/\(default: (\d+);/.exec(help)?.[1]);
    const run = await runCli([
      ...['mine', '--duration', '0.5', '--threads', '1', '--backend', 'wasm'],
      ...['--datadir', join(root, 'default-zeros')],
    ]);
    const bits = targetToBits(targetFromZeroBits(byDefault)).toString(16).padStart(8, '0');
    expect(run.stdout).toContain(`, target ${bits} `);
  });

  it('mine --throttle: the summary says how much of the time the workers hashed, measured', async () => {
    const run = await runCli([
      ...['mine', '--throttle', '50', '--duration', '0.5', '--zeros', '30'],
      ...['--threads', '1', '--backend', 'wasm', '--datadir', join(root, 'throttled')],
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/; throttled to 50%: the workers hashed \d+% of the time \(the hashrate falls by less/);
    const full = await runCli([
      ...['mine', '--duration', '0.5', '--zeros', '30'],
      ...['--threads', '1', '--backend', 'wasm', '--datadir', join(root, 'unthrottled')],
    ]);
    expect(full.stdout).not.toMatch(/; throttled to/);
  });

  it('economics --kwh-price: help says 0 is free power, and 0 is taken', async () => {
    expect(await helpFor('economics', 'kwh-price')).toContain('0 for free power');
    const result = await runCli(['economics', '--preset', 's19', '--kwh-price', '0', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).costPerDay).toBe(0);
  });
});
