// `powlab pool --network classnet`: templates by the retarget and time rules, blocks through the
// store that judges them, a chain `powlab chain verify` passes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { cleanupsAfterEach, run, startPool, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-classnet-');

const INTERVAL = 4;
/** Blocks at 2^12 hashes to start, shares at the block's difficulty or below: one thread finds many a second. */
const EASY = [
  '--zeros',
  '12',
  '--max-difficulty',
  '0.0001',
  '--start-difficulty',
  '0.0001',
  '--min-difficulty',
  '0.00001',
];

interface ListedBlock {
  height: number;
  bits: string;
  time: number;
}

describe('powlab pool --network classnet', () => {
  it('mines blocks across two retargets with one powlab miner, and the chain verifies', async () => {
    const dir = datadir();
    const pool = await startPool(
      ['--datadir', dir, '--network', 'classnet', '--spacing', '1', '--interval', String(INTERVAL), ...EASY],
      cleanups,
    );
    const miner = run(
      ['mine', '--pool', pool.stratum, '--user', 'alice', '--threads', '1', '--json', '--datadir', datadir()],
      cleanups,
    );
    // Past the second retarget (heights 4 and 8): the first's window starts at the genesis, the second's is the pool's own.
    await pool.waitFor((line) => line.type === 'block' && line.accepted === true && Number(line.height) > 2 * INTERVAL);
    miner.child.kill('SIGINT');
    await miner.exited;
    pool.child.kill('SIGINT');
    expect(await pool.exited).toBe(130);
    const refused = pool.lines.filter((line) => line.type === 'block' && line.accepted !== true);
    expect(refused).toEqual([]);

    expect(JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8'))).toMatchObject({
      network: 'classnet',
      spacing: 1,
      interval: INTERVAL,
    });
    const verify = await runCli(['chain', 'verify', '--datadir', dir]);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('retarget and time rules included');

    const listed = await runCli(['chain', 'list', '--json', '--datadir', dir]);
    expect(listed.code).toBe(0);
    const blocks = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ListedBlock)
      .filter((block) => block.height > 0);
    expect(blocks.length).toBeGreaterThan(2 * INTERVAL);
    // The bits move only where the rule allows, and did move at each retarget height passed.
    for (const [i, block] of blocks.entries()) {
      if (i === 0) continue;
      const moved = block.bits !== blocks[i - 1].bits;
      if (block.height % INTERVAL !== 0) expect(moved, `bits changed at height ${block.height}`).toBe(false);
    }
    const bitsAt = (height: number) => blocks.find((block) => block.height === height)!.bits;
    expect(bitsAt(INTERVAL)).not.toBe(bitsAt(INTERVAL - 1));
    expect(bitsAt(2 * INTERVAL)).not.toBe(bitsAt(2 * INTERVAL - 1));
  }, 120_000);

  it('keeps the chain it was created with: a later run with another spacing is refused in one line', async () => {
    const dir = datadir();
    const first = await startPool(['--datadir', dir, '--network', 'classnet', '--spacing', '2', ...EASY], cleanups);
    first.child.kill('SIGINT');
    await first.exited;
    const again = await runCli(['pool', '--port', '0', '--page-port', '0', '--datadir', dir, '--spacing', '3']);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toEqual([expect.stringContaining('was created with spacing 2 s')]);
  }, 60_000);

  it('takes no chain options with --rpc: the node has its own chain', async () => {
    const refused = await runCli(['pool', '--rpc', 'http://127.0.0.1:18443', '--network', 'classnet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringContaining('give --network or --rpc, not both')]);
  });
});
