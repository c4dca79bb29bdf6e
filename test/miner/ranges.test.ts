import { describe, expect, it } from 'vitest';
import {
  FIRST_RANGE,
  MAX_RANGE,
  MIN_RANGE,
  RANGE_SECONDS,
  RangeScheduler,
  rangeSize,
  type HeaderJob,
} from '../../src/miner/ranges.js';
import type { Work } from '../../src/miner/work.js';

function work(overrides: Partial<Work> = {}): Work {
  return {
    id: 'w',
    target: 1n,
    stopOnFind: true,
    extranonceCount: 1,
    header: (index) => new Uint8Array(80).fill(index),
    ...overrides,
  };
}

describe('rangeSize', () => {
  it('sizes a range to a quarter second of the worker, within bounds', () => {
    expect(rangeSize(0)).toBe(FIRST_RANGE);
    expect(rangeSize(1_000_000)).toBe(1_000_000 * RANGE_SECONDS);
    expect(rangeSize(1)).toBe(MIN_RANGE);
    expect(rangeSize(1e12)).toBe(MAX_RANGE);
  });
});

describe('RangeScheduler', () => {
  it('hands out a window in order, each nonce once, then nothing', () => {
    const ranges = new RangeScheduler();
    ranges.setWork(work({ nonceStart: 100, nonceCount: 3 * MIN_RANGE + 5 }));
    const got: [number, number][] = [];
    for (let range = ranges.next(1); range; range = ranges.next(1)) got.push([range.start, range.end]);
    expect(got).toEqual([
      [100, 100 + MIN_RANGE],
      [100 + MIN_RANGE, 100 + 2 * MIN_RANGE],
      [100 + 2 * MIN_RANGE, 100 + 3 * MIN_RANGE],
      [100 + 3 * MIN_RANGE, 100 + 3 * MIN_RANGE + 5],
    ]);
    expect(ranges.hasMore()).toBe(false);
  });

  it('gives a requeued rest out first, and drops it once the work changes', () => {
    const ranges = new RangeScheduler();
    const first = work();
    ranges.setWork(first);
    const range = ranges.next(0)!;
    ranges.requeue({ ...range, start: range.start + 10 });
    expect(ranges.next(0)).toEqual({ ...range, start: range.start + 10 });
    ranges.requeue({ ...range, start: 7 });
    ranges.setWork(work({ id: 'second' }));
    expect(ranges.next(0)!.job.work.id).toBe('second');
    // A rest of the old work is not taken back either.
    ranges.requeue({ ...range, start: 7 });
    expect(ranges.next(0)!.start).toBe(FIRST_RANGE);
  });

  it('retargets the current header without handing its nonces out again; a rest of it goes out under the new target', () => {
    const ranges = new RangeScheduler();
    const first = work({ target: 10n });
    ranges.setWork(first);
    const out = ranges.next(0)!;
    const waiting = ranges.next(0)!;
    ranges.requeue({ ...waiting, start: waiting.start + 5 });
    const easier = work({ id: 'easier', target: 20n });
    expect(new RangeScheduler().retarget(easier)).toBe(false);
    expect(ranges.retarget(easier)).toBe(true);
    // The rest waiting to go out goes under the new work, and the window carries on where it was.
    expect(ranges.next(0)).toMatchObject({ start: waiting.start + 5, end: waiting.end, job: { work: easier } });
    expect(ranges.next(0)).toMatchObject({ start: waiting.end, job: { work: easier, header: out.job.header } });
    // A find of a range sent before still names the old work; a rest of one is hashed under the new.
    expect(ranges.jobFor(out.job.key)!.work).toBe(first);
    ranges.requeue({ ...out, start: out.start + 3 });
    expect(ranges.next(0)).toMatchObject({ start: out.start + 3, end: out.end, job: { work: easier } });
    expect(ranges.isCurrent(easier)).toBe(true);
    // Other headers are other work: refused, nothing changed.
    expect(ranges.retarget(work({ id: 'other', header: (index) => new Uint8Array(80).fill(index + 1) }))).toBe(false);
    expect(ranges.isCurrent(easier)).toBe(true);
  });

  it('rolls the extranonce when a header runs out: a new header, its nonces from the start again', () => {
    const headers: HeaderJob[] = [];
    const ranges = new RangeScheduler((job) => headers.push(job));
    const asked: number[] = [];
    ranges.setWork(
      work({
        extranonceCount: 3,
        nonceStart: 2 ** 32 - MIN_RANGE,
        header: (index) => (asked.push(index), new Uint8Array(80).fill(index)),
      }),
    );
    const starts: [number, number][] = [];
    for (let range = ranges.next(1); range; range = ranges.next(1))
      starts.push([range.job.extranonceIndex, range.start]);
    expect(starts).toEqual([0, 1, 2].map((index) => [index, 2 ** 32 - MIN_RANGE]));
    expect(asked).toEqual([0, 1, 2]);
    expect(headers.map((job) => job.key)).toEqual([0, 1, 2]);
    expect(ranges.jobFor(1)!.header[0]).toBe(1);
  });

  it('refuses a window outside the nonces and a header that is not 80 bytes, before changing anything', () => {
    const ranges = new RangeScheduler();
    const current = work();
    ranges.setWork(current);
    expect(() => ranges.setWork(work({ nonceStart: 2 ** 32 }))).toThrow(/^start: /);
    expect(() => ranges.setWork(work({ nonceStart: 10, nonceCount: 2 ** 32 }))).toThrow(/^count: /);
    expect(ranges.isCurrent(current)).toBe(true);
    expect(() => ranges.setWork(work({ header: () => new Uint8Array(79) }))).toThrow(/79-byte header/);
  });
});
