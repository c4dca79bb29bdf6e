// Energy beside the hashrate: RAPL's counters read from a folder of fake counter files (this machine
// likely has none), the arithmetic checked, and the one line said when they cannot be read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEnergyMeter } from '../../src/cli/energy.js';
import { energyFigures, runBench, type EnergyMeter } from '../../src/miner/bench.js';
import { builtThreads } from '../helpers/built.js';
import { runCli } from '../helpers/run-cli.js';

const roots = mkdtempSync(join(tmpdir(), 'powlab-rapl-'));
afterAll(() => rmSync(roots, { recursive: true, force: true }));
let made = 0;

/** A fake /sys/class/powercap: zone folder name to its name file and counter; returns the root and a setter. */
function powercap(zones: Record<string, { name: string; microjoules: number; range?: number }>) {
  const root = join(roots, String(made++));
  const folder = join(root, 'sys/class/powercap');
  const set = (zone: string, microjoules: number) => writeFileSync(join(folder, zone, 'energy_uj'), `${microjoules}\n`);
  for (const [zone, { name, microjoules, range }] of Object.entries(zones)) {
    mkdirSync(join(folder, zone), { recursive: true });
    writeFileSync(join(folder, zone, 'name'), `${name}\n`);
    writeFileSync(join(folder, zone, 'max_energy_range_uj'), `${range ?? 262143328850}\n`);
    set(zone, microjoules);
  }
  return { root, set };
}

describe('RAPL, read', () => {
  it('sums the package zones (not their subzones, which the package holds) in joules since opened', () => {
    const { root, set } = powercap({
      'intel-rapl:0': { name: 'package-0', microjoules: 5_000_000 },
      'intel-rapl:0:0': { name: 'core', microjoules: 1_000_000 },
      'intel-rapl:1': { name: 'package-1', microjoules: 7_000_000 },
    });
    const opened = openEnergyMeter(root);
    if (!('meter' in opened)) throw new Error(opened.unavailable);
    expect(opened.meter.source).toBe('RAPL package-0 + package-1');
    expect(opened.meter.joules()).toBe(0);
    set('intel-rapl:0', 8_000_000);
    set('intel-rapl:0:0', 9_000_000);
    set('intel-rapl:1', 7_500_000);
    expect(opened.meter.joules()).toBeCloseTo(3.5, 9);
  });

  it('counts across a counter wrapping at max_energy_range_uj', () => {
    const { root, set } = powercap({ 'intel-rapl:0': { name: 'package-0', microjoules: 990_000, range: 1_000_000 } });
    const opened = openEnergyMeter(root);
    if (!('meter' in opened)) throw new Error(opened.unavailable);
    set('intel-rapl:0', 20_000);
    expect(opened.meter.joules()).toBeCloseTo(0.03, 9);
    set('intel-rapl:0', 520_000);
    expect(opened.meter.joules()).toBeCloseTo(0.53, 9);
  });

  it('says in one line why not: no counters, or a counter it may not read', () => {
    expect(openEnergyMeter(join(roots, 'nowhere'))).toEqual({
      unavailable:
        'no RAPL energy counters here, no /sys/class/powercap/intel-rapl:N (not Linux, a virtual machine, or a CPU without RAPL)',
    });
    const { root } = powercap({ 'intel-rapl:0': { name: 'package-0', microjoules: 1 } });
    // A folder where the counter should be: unreadable whoever runs the test, as energy_uj is to a user since Linux 5.10.
    rmSync(join(root, 'sys/class/powercap/intel-rapl:0/energy_uj'));
    mkdirSync(join(root, 'sys/class/powercap/intel-rapl:0/energy_uj'));
    expect(openEnergyMeter(root)).toEqual({
      unavailable:
        'needs read access to /sys/class/powercap/intel-rapl:0/energy_uj (root only since Linux 5.10: run as root, or sudo chmod o+r it)',
    });
  });
});

describe('energy beside each hashrate', () => {
  it('is joules per terahash and hashes per joule at the watts', () => {
    expect(energyFigures(20, 4e6)).toEqual({ watts: 20, joulesPerTerahash: 5e6, hashesPerJoule: 2e5 });
  });

  it("bench reads the meter around every round: its watts are the meter's joules over the round's time", async () => {
    // A package drawing a steady 15 W, by the clock.
    const meter: EnergyMeter = { source: 'RAPL package-0', joules: () => (performance.now() / 1000) * 15 };
    const report = await runBench({
      host: builtThreads(),
      machine: {} as never,
      backends: ['js'],
      threads: [1],
      seconds: 0.4,
      rounds: 2,
      power: { meter },
    });
    expect(report.energy).toEqual({ source: 'RAPL package-0' });
    const { energy, hashrate } = report.results[0];
    // The meter and the clock are read a moment apart: watts within a few thousandths.
    expect(energy!.watts).toBeCloseTo(15, 2);
    expect(energy).toEqual(energyFigures(energy!.watts, hashrate));
  });

  it('the CLI says why there are none here, and takes --watts instead', async () => {
    const args = ['bench', '--backends', 'js', '--threads', '1', '--seconds', '0.2', '--rounds', '1', '--json'];
    const unmeasured = JSON.parse((await runCli(args)).stdout);
    expect(unmeasured.energy.unavailable).toMatch(/^(no RAPL energy counters here|needs read access to )[^\n]+$/);
    expect(unmeasured.results[0].energy).toBeUndefined();
    const given = JSON.parse((await runCli([...args, '--watts', '20'])).stdout);
    expect(given.energy).toEqual({ source: 'given: 20 W' });
    expect(given.results[0].energy.joulesPerTerahash).toBeCloseTo((20 / given.results[0].hashrate) * 1e12, 0);
    const bad = await runCli(['bench', '--watts', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('powlab: --watts: must be a number of watts above 0, got 0\n');
  });
});
