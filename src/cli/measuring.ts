/** "Measure this machine" as the commands that predict from a hashrate do it: a status line, then a refusal of nothing counted. */
import { Errors } from '../errors.js';
import { countOf } from '../format/numbers.js';
import { measureHashrate, type Measurement } from '../miner/measure.js';
import { nodeThreads } from '../worker/node-threads.js';
import { StatusLine } from './output.js';

export async function measureThisMachine(seconds: number, threads?: number): Promise<Measurement> {
  const status = new StatusLine();
  status.update(
    `measuring this machine's hashrate for ${seconds} s on ${threads === undefined ? 'every core' : countOf(threads, 'thread')}…`,
  );
  try {
    const measurement = await measureHashrate({ host: nodeThreads(), seconds, threads });
    if (!(measurement.hashrate > 0))
      throw Errors.badOption('seconds', `no hashes were counted in ${seconds} s; measure for longer`);
    return measurement;
  } finally {
    status.clear();
  }
}
