// The page words the engine's errors and the benchmark's progress in its own terms: no flag of the CLI's.
import { describe, expect, it } from 'vitest';
import { pageError, benchDone, benchProgress } from '../../src/ui/app/words.js';
import { Errors } from '../../src/errors.js';
import { checkThreads } from '../../src/miner/options.js';
import { nonceWindow } from '../../src/miner/ranges.js';
import { BLOCK_COUNT, checkWhole, ZERO_BITS } from '../../src/mining/limits.js';

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('pageError', () => {
  it.each([
    ['too many threads', () => checkThreads(20, 2), 'Threads must be a whole number from 1 to 16, not 20.'],
    [
      'zero bits past 255',
      () => checkWhole('zeros', ZERO_BITS, 256),
      'Zero bits must be a whole number from 1 to 255, not 256.',
    ],
    [
      'a negative block count',
      () => checkWhole('blocks', BLOCK_COUNT, -3),
      'Blocks must be a whole number from 0 up (0: no limit), not -3.',
    ],
  ])('%s: names the field and its range, never the flag', (_, run, words) => {
    const error = thrown(run);
    expect((error as Error).message).not.toMatch(/--/);
    expect(pageError(error)).toBe(words);
  });

  it('words an engine check without a range by its field and the reason', () => {
    const error = thrown(() =>
      nonceWindow({ nonceStart: 4294967295, nonceCount: 2 } as Parameters<typeof nonceWindow>[0]),
    );
    expect(pageError(error)).toBe('How many: must be 1..1 from nonce 4294967295, got 2.');
  });

  it('says the GPU cannot be used, in words that name no --backend', () => {
    expect(pageError(Errors.noGpu('this browser gives no GPU adapter'))).toBe(
      'WebGPU cannot be used here: this browser gives no GPU adapter.',
    );
  });

  it('passes other errors through as they are', () => {
    expect(pageError(Errors.badHex('header', 'not hexadecimal (found "zz")'))).toBe(
      'header: not hexadecimal (found "zz")',
    );
    expect(pageError(new Error('IndexedDB: blocked'))).toBe('IndexedDB: blocked');
  });
});

describe('the benchmark progress', () => {
  it('counts rounds as runBench does: each case once per round, the cases taking turns', () => {
    // Two thread counts over three rounds: runBench calls onRound with done 0..5 of 6.
    const order = [1, 2, 2, 1, 1, 2];
    const texts = order.map((threads, done) => benchProgress(done, 6, 3, 'wasm', threads));
    expect(texts).toEqual([
      'Round 1 of 3: measuring 1 thread (measurement 1 of 6)…',
      'Round 1 of 3: measuring 2 threads (measurement 2 of 6)…',
      'Round 2 of 3: measuring 2 threads (measurement 3 of 6)…',
      'Round 2 of 3: measuring 1 thread (measurement 4 of 6)…',
      'Round 3 of 3: measuring 1 thread (measurement 5 of 6)…',
      'Round 3 of 3: measuring 2 threads (measurement 6 of 6)…',
    ]);
  });

  it('names WebGPU as WebGPU (a GPU or a software renderer), not as one thread', () => {
    expect(benchProgress(1, 3, 3, 'webgpu', 1)).toBe('Round 2 of 3: measuring WebGPU…');
  });

  it('says what each row is: the median of its rounds, the seconds split between them', () => {
    expect(benchDone(3, 2)).toMatch(/^Done: each row is the median of its 3 rounds of 667 ms \(2\.00 s per row in all/);
  });
});
