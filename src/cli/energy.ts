/**
 * The energy the CPU package draws, where Linux will tell: the RAPL counters under
 * /sys/class/powercap (intel-rapl:N, which AMD's Zen CPUs fill too since Linux 5.8). Each counts
 * microjoules since boot and wraps at max_energy_range_uj; only the package zones (intel-rapl:N,
 * not their subzones intel-rapl:N:M, which the package already includes) are summed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnergyMeter } from '../miner/bench.js';

export type EnergyMeterOrWhyNot = { meter: EnergyMeter } | { unavailable: string };

const POWERCAP = 'sys/class/powercap';
const PACKAGE_ZONE = /^intel-rapl:\d+$/;

interface Zone {
  name: string;
  counter: string;
  rangeMicrojoules: number;
  last: number;
}

const readNumber = (file: string) => Number(readFileSync(file, 'utf8').trim());

/** `root` stands for / (a test points it at a folder of fake counter files). */
export function openEnergyMeter(root = '/'): EnergyMeterOrWhyNot {
  const folder = join(root, POWERCAP);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => PACKAGE_ZONE.test(name));
  } catch {
    names = [];
  }
  if (names.length === 0)
    return {
      unavailable: `no RAPL energy counters here, no ${join('/', POWERCAP)}/intel-rapl:N (not Linux, a virtual machine, or a CPU without RAPL)`,
    };
  const zones: Zone[] = [];
  for (const name of names.sort()) {
    const counter = join(folder, name, 'energy_uj');
    try {
      zones.push({
        name: readFileSync(join(folder, name, 'name'), 'utf8').trim(),
        counter,
        rangeMicrojoules: readNumber(join(folder, name, 'max_energy_range_uj')),
        last: readNumber(counter),
      });
    } catch {
      // Since Linux 5.10 energy_uj is readable by root only (the PLATYPUS side channel).
      return {
        unavailable: `needs read access to ${join('/', POWERCAP, name, 'energy_uj')} (root only since Linux 5.10: run as root, or sudo chmod o+r it)`,
      };
    }
  }
  let microjoules = 0;
  return {
    meter: {
      source: `RAPL ${zones.map((zone) => zone.name).join(' + ')}`,
      joules() {
        for (const zone of zones) {
          const now = readNumber(zone.counter);
          // Past max_energy_range_uj the counter starts again from 0.
          microjoules += now >= zone.last ? now - zone.last : now + zone.rangeMicrojoules - zone.last;
          zone.last = now;
        }
        return microjoules / 1e6;
      },
    },
  };
}
