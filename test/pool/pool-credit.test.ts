// Crediting matches work: two real `powlab mine --pool` processes in a real `powlab pool`. Each
// header is credited once, and the credited work (Σ share difficulty × 2^32) agrees with the hashes
// the miners say they did, within the spread a Poisson process allows.
import { describe, expect, it } from 'vitest';
import { HASHES_PER_DIFFICULTY } from '../../src/core/target.js';
import { cleanupsAfterEach, run, startPool, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-credit-');

interface AcceptedShare {
  worker: string;
  difficulty: number;
  hash: string;
}

describe('powlab pool crediting two powlab miners', () => {
  it('credits no header twice, and credits the work the miners did within 4 sigma', async () => {
    // No block in reach (2^40 hashes): every hash goes to shares, none to a stale tip. A share a
    // second wanted, so vardiff moves the difficulty, up and down, many times in the run.
    const pool = await startPool(['--datadir', datadir(), '--zeros', '40', '--share-seconds', '1'], cleanups);
    const names = ['alice', 'bob'];
    const miners = names.map((name) =>
      run(
        ['mine', '--pool', pool.stratum, '--user', name, '--threads', '1', '--duration', '20', '--json'].concat([
          '--datadir',
          datadir(),
        ]),
        cleanups,
      ),
    );
    expect(await Promise.all(miners.map((miner) => miner.exited))).toEqual([0, 0]);
    pool.child.kill('SIGINT');
    await pool.exited;

    const shares = pool.lines.filter((line) => line.type === 'share');
    expect(shares.filter((share) => !share.accepted)).toEqual([]);
    const accepted = shares as unknown as AcceptedShare[];
    expect(new Set(accepted.map((share) => share.hash)).size).toBe(accepted.length);
    for (const [index, name] of names.entries()) {
      const mine = accepted.filter((share) => share.worker === name);
      // Enough shares for the bound to mean something (the machine may be slow and shared).
      expect(mine.length).toBeGreaterThanOrEqual(5);
      const summary = miners[index].lines.find((line) => line.type === 'summary') as { hashes: number };
      const credited = mine.reduce((sum, share) => sum + share.difficulty, 0) * HASHES_PER_DIFFICULTY;
      // Each hash is a share of difficulty d with chance 1/(d × 2^32), worth d × 2^32: the credit's
      // variance is Σ (d × 2^32)^2 over the shares.
      const sigma = Math.sqrt(mine.reduce((sum, share) => sum + share.difficulty ** 2, 0)) * HASHES_PER_DIFFICULTY;
      expect(Math.abs(credited - summary.hashes)).toBeLessThanOrEqual(4 * sigma);
    }
  });
});
