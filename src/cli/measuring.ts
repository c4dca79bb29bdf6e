/** "Measure this machine" as the commands that predict from a hashrate do it: a status line, then a refusal of nothing counted; the watts too, given a meter. */
import { Errors } from '../errors.js';
import { countOf } from '../format/numbers.js';
import { measureRunning, type Measurement } from '../miner/measure.js';
import { Miner } from '../miner/miner.js';
import type { EnergyMeter } from '../miner/bench.js';
import { nodeThreads } from '../worker/node-threads.js';
import { StatusLine } from './output.js';

/**
 * This machine's hashrate as `mine` reaches it with the same --threads: the Miner starts exactly as
 * mining starts it (the backend it would choose, the GPU when it would use one), then is measured.
 */
export async function measureThisMachine(
  seconds: number,
  threads?: number,
  energy?: EnergyMeter,
): Promise<Measurement & { watts?: number }> {
  const status = new StatusLine();
  status.update(
    `measuring this machine's hashrate for ${seconds} s on ${threads === undefined ? 'every core' : countOf(threads, 'thread')}…`,
  );
  try {
    const miner = await Miner.start({ host: nodeThreads(), threads });
    let measurement: Measurement & { watts?: number };
    try {
      const before = energy && { joules: energy.joules(), at: performance.now() };
      measurement = await measureRunning(miner, seconds * 1000);
      if (before) measurement.watts = (energy.joules() - before.joules) / ((performance.now() - before.at) / 1000);
    } finally {
      await miner.close();
    }
    if (!(measurement.hashrate > 0))
      throw Errors.badOption('seconds', `no hashes were counted in ${seconds} s; measure for longer`);
    return measurement;
  } finally {
    status.clear();
  }
}
