// The page's figures (src/ui/dashboard/figures.ts), the part of the page with no DOM, checked in node.
import { describe, expect, it } from 'vitest';
import { HISTORY_KEPT as SERVER_HISTORY_KEPT } from '../../src/dashboard/state.js';
import type { HashrateSample } from '../../src/dashboard/api.js';
import { addSample, furthestNonce, HISTORY_KEPT, workerName } from '../../src/ui/dashboard/figures.js';

describe('the page’s figures', () => {
  it('keeps as much history as the server sends, dropping the oldest', () => {
    expect(HISTORY_KEPT).toBe(SERVER_HISTORY_KEPT);
    const history: HashrateSample[] = [];
    for (let t = 0; t < HISTORY_KEPT + 50; t++) addSample(history, { t, hashrate: t, workers: [t] });
    expect(history).toHaveLength(HISTORY_KEPT);
    expect(history[0].t).toBe(50);
    expect(history.at(-1)!.t).toBe(HISTORY_KEPT + 49);
  });

  it('finds the map’s furthest nonce in lists too long to spread into Math.max', () => {
    const workers = Array.from({ length: 1024 }, (_, w) => ({
      ranges: Array.from({ length: 256 }, (_, r): [number, number] => [r * 1e6 + w, r * 1e6 + w + 1]),
    }));
    expect(() => Math.max(...workers.flatMap((worker) => worker.ranges.map(([, end]) => end)))).toThrow(RangeError);
    expect(furthestNonce(workers)).toBe(255 * 1e6 + 1024);
    expect(furthestNonce([])).toBe(0);
  });

  it('numbers workers from 1, as the web app and the docs do: the worker at index 0 is worker 1', () => {
    expect([0, 1, 7].map(workerName)).toEqual(['worker 1', 'worker 2', 'worker 8']);
  });
});
