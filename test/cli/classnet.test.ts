// Classnet as a student drives it (issue 23's must-shows): the difficulty follows Bitcoin's rule,
// checked by bcoin's code; a fork grown by hand in two datadirs reorgs; a wrong block is refused in Core's words.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/bytes.js';
import { displayHexToHash } from '../../src/core/header.js';
import { bitsToTarget } from '../../src/core/target.js';
import { bcoinNextBits } from '../helpers/bcoin-retarget.js';
import { grindBlock } from '../helpers/classnet-blocks.js';
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-classnet-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Listed {
  height: number;
  hash: string;
  prev: string;
  time: number;
  bits: string;
  chainwork: string;
  active: boolean;
}

async function list(datadir: string, all = false): Promise<Listed[]> {
  const result = await runCli(['chain', 'list', '--json', '--datadir', datadir, ...(all ? ['--all'] : [])]);
  expect(result.stderr).toBe('');
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Listed);
}

async function mine(datadir: string, blocks: number, more: string[] = []): Promise<void> {
  const result = await runCli([
    'mine',
    '--datadir',
    datadir,
    '--blocks',
    String(blocks),
    '--threads',
    '1',
    '--backend',
    'js',
    ...more,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

const POW_LIMIT_BITS = 0x207fffff;

describe('mine --network classnet --spacing 2 --interval 10 --zeros 14 --blocks 45', () => {
  const datadir = join(root, 'retarget');

  it('gives every block the bits bcoin computes, and the difficulty rises while blocks come faster than 2 s', async () => {
    await mine(datadir, 45, ['--network', 'classnet', '--spacing', '2', '--interval', '10', '--zeros', '14']);
    const chain = await list(datadir);
    expect(chain).toHaveLength(46);
    const startBits = parseInt(chain[1].bits, 16);
    const rule = { spacing: 2, interval: 10, startBits, powLimitBits: POW_LIMIT_BITS };
    for (let height = 1; height < chain.length; height++) {
      const below = chain.slice(0, height).map((block) => ({ bits: parseInt(block.bits, 16), time: block.time }));
      expect(parseInt(chain[height].bits, 16), `bits at height ${height}`).toBe(await bcoinNextBits(below, rule));
    }
    const target = (height: number) => bitsToTarget(parseInt(chain[height].bits, 16));
    let harder = 0;
    for (const height of [20, 30, 40]) {
      const timespan = chain[height - 1].time - chain[height - 10].time;
      if (timespan < 20) {
        expect(target(height), `retarget at ${height} after ${timespan} s`).toBeLessThan(target(height - 1));
        harder++;
      }
    }
    expect(harder).toBeGreaterThan(0);
    expect(target(45)).toBeLessThan(target(1));
    const verified = await runCli(['chain', 'verify', '--json', '--datadir', datadir]);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, network: 'classnet', height: 45, stale: 0 });
  });

  it('explain at a retarget height shows the computation: the window, the clamp, old and new bits', async () => {
    const chain = await list(datadir);
    const result = await runCli(['explain', '--height', '30', '--json', '--hashrate', '1e6', '--datadir', datadir]);
    expect(result.stderr).toBe('');
    const { retarget } = JSON.parse(result.stdout) as { retarget: Record<string, unknown> };
    const actual = chain[29].time - chain[20].time;
    expect(retarget).toMatchObject({
      height: 30,
      firstHeight: 20,
      lastHeight: 29,
      actualTimespan: actual,
      targetTimespan: 20,
      clamp: actual < 5 ? 'low' : actual > 80 ? 'high' : 'none',
      oldBits: chain[29].bits,
      newBits: chain[30].bits,
    });
    const between = await runCli(['explain', '--height', '31', '--json', '--hashrate', '1e6', '--datadir', datadir]);
    expect(JSON.parse(between.stdout)).not.toHaveProperty('retarget');
  });

  it('keeps its spacing and interval: another value is refused in one line', async () => {
    const result = await runCli(['mine', '--datadir', datadir, '--blocks', '1', '--interval', '20']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^powlab: --interval: 20: the classnet chain in .* was created with spacing 2 s, interval 10 /,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['--spacing', '0', 'must be a whole number from 1 to 86400, got 0'],
    ['--interval', '1', 'must be a whole number from 2 to 100000, got 1'],
    ['--network', 'testnet', 'must be regtest or classnet, got "testnet"'],
  ])('%s %s is refused as its help says', async (option, value, why) => {
    const result = await runCli(['mine', '--datadir', join(root, 'never'), option, value]);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: `powlab: ${option}: ${why}\n` });
  });

  it('names the built-in chain only: with a node or a pool, --network is refused', async () => {
    const result = await runCli(['mine', '--network', 'classnet', '--rpc', 'http://127.0.0.1:1']);
    expect(result).toMatchObject({ code: 2, stderr: 'powlab: give --network or --rpc, not both\n' });
  });

  it('a regtest datadir is not taken for classnet, nor the other way round', async () => {
    const regtest = join(root, 'plain-regtest');
    await mine(regtest, 1, ['--zeros', '8']);
    const asClassnet = await runCli(['chain', 'list', '--network', 'classnet', '--datadir', regtest]);
    expect(asClassnet).toMatchObject({ code: 2, stdout: '' });
    expect(asClassnet.stderr).toBe(
      `powlab: --network: classnet: ${regtest} holds a regtest chain (use another --datadir)\n`,
    );
    const asRegtest = await runCli(['chain', 'verify', '--network', 'regtest', '--datadir', datadir]);
    expect(asRegtest.stderr).toBe(
      `powlab: --network: regtest: ${datadir} holds a classnet chain (use another --datadir)\n`,
    );
  });
});

describe('a fork made by hand: two copies of one chain grown apart, 3 blocks and 5', () => {
  const shorter = join(root, 'fork-a');
  const longer = join(root, 'fork-b');

  it('submitting the longer branch into the shorter is a reorg of depth 3; the 3 stale blocks stay', async () => {
    // An interval longer than the run: every block carries the same bits, so work counts blocks.
    await mine(shorter, 2, ['--network', 'classnet', '--interval', '1000', '--zeros', '8']);
    cpSync(shorter, longer, { recursive: true });
    await mine(shorter, 3);
    // Another payout address, as lab 6 says: two miners paying one address build the very same blocks
    // while the median time past, not the clock, sets their time.
    await mine(longer, 5, ['--address', 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080']);
    const stale = (await list(shorter)).slice(3);
    expect(stale.map((block) => block.height)).toEqual([3, 4, 5]);

    const exported = await runCli(['chain', 'export', '--from', '3', '--datadir', longer]);
    expect(exported.stdout.trim().split('\n')).toHaveLength(5);
    const submitted = await runCli(['chain', 'submit', '-', '--json', '--datadir', shorter], {
      input: exported.stdout,
    });
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const events = submitted.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; depth?: number; oldTip?: { hash: string } });
    const reorgs = events.filter((event) => event.type === 'reorg');
    expect(reorgs).toHaveLength(1);
    expect(reorgs[0]).toMatchObject({ depth: 3, oldTip: { height: 5, hash: stale[2].hash }, fork: { height: 2 } });

    const longerTip = (await list(longer)).at(-1)!;
    const all = await list(shorter, true);
    expect(all.filter((block) => !block.active).map((block) => block.hash)).toEqual(stale.map((block) => block.hash));
    expect(all.filter((block) => block.active).at(-1)).toEqual(longerTip);
    const tree = await runCli(['chain', 'tree', '--blocks', '6', '--datadir', shorter]);
    const rows = tree.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/: tip 7, 1 side branch$/);
    // Heights 7 down to 2: the stale blocks beside 5, 4, 3, joined under the fork at 2.
    expect(rows.slice(2).map((row) => row.trim().split(/ +/))).toEqual([
      ['7', longerTip.hash.slice(0, 12)],
      ['6', all.find((b) => b.active && b.height === 6)!.hash.slice(0, 12)],
      ...[5, 4, 3].map((height) => [
        String(height),
        all.find((b) => b.active && b.height === height)!.hash.slice(0, 12),
        stale[height - 3].hash.slice(0, 12),
      ]),
      ['2', all.find((b) => b.height === 2)!.hash.slice(0, 12), '┘'],
    ]);
    const verified = await runCli(['chain', 'verify', '--json', '--datadir', shorter]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: true,
      blocks: 10,
      height: 7,
      stale: 3,
      tip: longerTip.hash,
    });
  });
});

describe('chain submit refuses a block in Core words, exit 1', () => {
  const datadir = join(root, 'refusals');

  /** The next block on the tip, at height 10 (a retarget height), with the bits and time given. */
  async function nextBlock(
    change: (rule: { bits: number; medianTime: number; now: number }) => { bits: number; time: number },
  ) {
    const chain = await list(datadir);
    const tip = chain.at(-1)!;
    const below = chain.map((block) => ({ bits: parseInt(block.bits, 16), time: block.time }));
    const bits = await bcoinNextBits(below, {
      spacing: 2,
      interval: 10,
      startBits: parseInt(chain[1].bits, 16),
      powLimitBits: POW_LIMIT_BITS,
    });
    const times = chain
      .slice(-11)
      .map((block) => block.time)
      .sort((a, b) => a - b);
    const medianTime = times[Math.floor(times.length / 2)];
    const spec = change({ bits, medianTime, now: Math.floor(Date.now() / 1000) });
    return bytesToHex(grindBlock({ height: tip.height + 1, prevHash: displayHexToHash(tip.hash), ...spec }).bytes);
  }

  it('bad-diffbits at a retarget height, time-too-old at the median; the right block is taken', async () => {
    await mine(datadir, 9, ['--network', 'classnet', '--spacing', '2', '--interval', '10', '--zeros', '8']);
    const submit = (hex: string) => runCli(['chain', 'submit', hex, '--datadir', datadir]);

    const wrongBits = await submit(
      await nextBlock(({ bits, now }) => ({ bits: bits === 0x1f00ffff ? 0x1f01ffff : 0x1f00ffff, time: now })),
    );
    expect(wrongBits.code).toBe(1);
    expect(wrongBits.stderr).toMatch(
      /^powlab: block [0-9a-f]{64} refused: bad-diffbits: bits 1f0[01]ffff at height 10, where the retarget rule gives [0-9a-f]{8}\n$/,
    );

    const tooOld = await submit(await nextBlock(({ bits, medianTime }) => ({ bits, time: medianTime })));
    expect(tooOld.code).toBe(1);
    expect(tooOld.stderr).toMatch(/refused: time-too-old: time \d+ is not above the median time past \d+\n$/);

    const tooNew = await submit(await nextBlock(({ bits, now }) => ({ bits, time: now + 3 * 3600 })));
    expect(tooNew.stderr).toMatch(/refused: time-too-new/);

    const right = await submit(await nextBlock(({ bits, medianTime }) => ({ bits, time: medianTime + 1 })));
    expect(right.stderr).toBe('');
    expect(right.stdout).toMatch(/^accepted block 10 [0-9a-f]{64} on the active chain\n$/);
    expect(right.code).toBe(0);
  });

  it('prev-blk-not-found for a block whose parent is unknown', async () => {
    const orphan = bytesToHex(
      grindBlock({
        height: 5,
        prevHash: new Uint8Array(32).fill(9),
        time: Math.floor(Date.now() / 1000),
        bits: 0x2000ffff,
      }).bytes,
    );
    const result = await runCli(['chain', 'submit', orphan, '--datadir', datadir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused: prev-blk-not-found: its parent 0909.* is not in the chain\n$/);
  });
});
