// The time rules of Core's ContextualCheckBlockHeader and the miner's choice of time (UpdateTime).
import { describe, expect, it } from 'vitest';
import { MAX_FUTURE_BLOCK_TIME, medianTimePast, minerTime, timeViolation } from '../../src/chain/time-rules.js';

describe('medianTimePast', () => {
  it('takes the median of the last 11 times, whatever their order', () => {
    const times = [100, 1, 2, 3, 4, 50, 60, 70, 80, 90, 5, 6];
    // The last 11 sorted: 1 2 3 4 5 6 50 60 70 80 90: the sixth.
    expect(medianTimePast(times)).toBe(6);
  });

  it('takes the upper middle of an even count, as Core does near the genesis', () => {
    expect(medianTimePast([10, 30])).toBe(30);
    expect(medianTimePast([40, 10, 30, 20])).toBe(30);
    expect(medianTimePast([7])).toBe(7);
  });
});

describe('timeViolation and minerTime', () => {
  it('refuses a time at or below the median as too old, and one past two hours ahead as too new', () => {
    expect(timeViolation(100, 100, 1000)).toBe('time-too-old');
    expect(timeViolation(99, 100, 1000)).toBe('time-too-old');
    expect(timeViolation(101, 100, 1000)).toBeUndefined();
    expect(timeViolation(1000 + MAX_FUTURE_BLOCK_TIME, 100, 1000)).toBeUndefined();
    expect(timeViolation(1001 + MAX_FUTURE_BLOCK_TIME, 100, 1000)).toBe('time-too-new');
  });

  it('mines at the clock unless the median has run ahead of it', () => {
    expect(minerTime(500, 100)).toBe(500);
    expect(minerTime(500, 500)).toBe(501);
    expect(timeViolation(minerTime(500, 700), 700, 500)).toBeUndefined();
  });
});
