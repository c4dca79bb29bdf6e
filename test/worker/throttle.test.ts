/**
 * --throttle P: a worker hashes P% of its time and rests the rest. A rest that ran long (a busy
 * machine wakes a sleeper late) is paid back by shorter rests, so the share holds over a run.
 */
import { describe, expect, it } from 'vitest';
import { restOwed } from '../../src/worker/range-hooks.js';

describe('the rest a throttled worker owes', () => {
  it('is as long as the work at 50%, three times the work at 25%, and nothing at 100%', () => {
    expect(restOwed(0, 50, 4)).toBe(4);
    expect(restOwed(0, 25, 4)).toBe(12);
    expect(restOwed(7, 100, 4)).toBe(0);
  });

  it('shrinks by a rest that ran long, so the time spent hashing stays at the share asked for', () => {
    let owed = 0;
    let worked = 0;
    let rested = 0;
    for (let chunk = 0; chunk < 1000; chunk++) {
      worked += 4;
      owed = restOwed(owed, 50, 4);
      if (owed <= 0) continue;
      // Every sleep wakes 1.5 ms late.
      const slept = owed + 1.5;
      rested += slept;
      owed = restOwed(owed, 50, 0, slept);
    }
    expect(worked / (worked + rested)).toBeCloseTo(0.5, 2);
  });

  it('credits at most 50 ms of early rest, so one long stall is not followed by a burst of unthrottled work', () => {
    expect(restOwed(0, 50, 0, 1000)).toBe(-50);
  });
});
