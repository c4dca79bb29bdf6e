// The time each worker goes on with old work after setWork: counted per worker, once, for the new work only.
import { afterEach, expect, it } from 'vitest';
import { Miner } from '../../src/miner/miner.js';
import { unsolvableWork } from '../../src/miner/measure.js';
import { WorkSwitch } from '../../src/miner/switch.js';
import { builtThreads } from '../helpers/built.js';

it('reports once every worker has a range of the new work; ranges of other work do not count', () => {
  const reports: number[][] = [];
  const switching = new WorkSwitch<string>((delays) => reports.push(delays));
  switching.begin('new', performance.now(), 3);
  switching.dispatched(0, 'new');
  switching.dispatched(1, 'old');
  switching.dispatched(0, 'new');
  switching.dispatched(2, 'new');
  expect(reports).toEqual([]);
  switching.dispatched(1, 'new');
  expect(reports).toHaveLength(1);
  expect(reports[0]).toHaveLength(3);
  for (const delay of reports[0]) expect(delay).toBeGreaterThanOrEqual(0);
  switching.dispatched(1, 'new');
  expect(reports).toHaveLength(1);
});

let miner: Miner | undefined;
afterEach(async () => {
  await miner?.close();
});

it('a Miner says how long each of its workers hashed the old work after setWork', async () => {
  miner = await Miner.start({ host: builtThreads(), backend: 'js', threads: 2 });
  miner.setWork(unsolvableWork('first'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const switched = new Promise<number[]>((resolve) => miner!.once('switched', resolve));
  const before = performance.now();
  miner.setWork(unsolvableWork('second'));
  const delays = await switched;
  const waited = performance.now() - before;
  expect(delays).toHaveLength(2);
  // Each worker was busy with the first work: it stops at its next chunk boundary, after setWork and before the event.
  for (const delay of delays) {
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(waited);
  }
});
