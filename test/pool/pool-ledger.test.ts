// `powlab pool` and its ledger from outside: a second pool on a datadir, a damaged ledger, and kill -9 mid-mining.
import { readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToDisplayHex } from '../../src/core/header.js';
import type { BlockRecord } from '../../src/pool/ledger-records.js';
import { Ledger, LEDGER_FILE } from '../../src/pool/ledger.js';
import { BLOCKS_FILE, readStore } from '../../src/sources/chain-files.js';
import { startBcoinNode } from '../helpers/bcoin-node.js';
import { runCli } from '../helpers/run-cli.js';
import { cleanupsAfterEach, run, startPool, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-ledger-');

const POOL = ['--port', '0', '--page-port', '0', '--json'];
/** A block every 2^14 hashes: one thread finds several a second, so a kill often lands inside a block's handling. */
const EASY = [
  '--zeros',
  '10',
  '--max-difficulty',
  '0.0001',
  '--start-difficulty',
  '0.0001',
  '--min-difficulty',
  '0.00001',
];

describe('one pool per datadir', () => {
  it('a second pool on the built-in chain exits with one line saying the datadir is in use', async () => {
    const dir = datadir();
    const first = await startPool(['--datadir', dir, ...EASY], cleanups);
    const second = await runCli(['pool', ...POOL, '--datadir', dir, ...EASY]);
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`datadir is in use by process ${first.child.pid} \\(`)),
    ]);
  }, 60_000);

  it('a second pool --rpc on the same datadir exits with one line saying the datadir is in use', async () => {
    const node = await startBcoinNode();
    cleanups.push(() => node.close());
    const dir = datadir();
    const rpc = ['--rpc', node.url, '--rpc-password', node.apiKey, '--script', node.payoutScriptHex, '--datadir', dir];
    const first = await startPool(rpc, cleanups);
    const second = await runCli(['pool', ...POOL, ...rpc]);
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`datadir is in use by process ${first.child.pid} \\(.*pool-ledger.lock\\)`)),
    ]);
  }, 120_000);
});

describe('a damaged ledger', () => {
  it('a flipped digit in the middle is refused at start with the file and the line, in one line', async () => {
    const dir = datadir();
    const ledger = Ledger.open(dir, { windowFactor: 2, networkDifficulty: 1 }, () => {});
    for (let i = 0; i < 9; i++) ledger.share('alice', 0.125, 1_000_000 + i);
    ledger.close();
    const file = join(dir, LEDGER_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[4] = lines[4].replace('"difficulty":0.125', '"difficulty":0.126');
    writeFileSync(file, lines.join('\n'));
    const started = await runCli(['pool', ...POOL, '--datadir', dir, ...EASY]);
    expect(started.code).toBe(2);
    expect(started.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(
        `${file} is damaged at line 5: checksum mismatch (the line changed on disk); left untouched`,
      ),
    ]);
  }, 60_000);
});

describe('a block found but never settled, on a node', () => {
  it('is settled at the next start by asking the node whether it holds the block, with one line each', async () => {
    const node = await startBcoinNode();
    cleanups.push(() => node.close());
    const dir = datadir();
    const genesis = ((await node.blockAt(0)) as { rhash(): string }).rhash();
    const ledger = Ledger.open(dir, { windowFactor: 2, networkDifficulty: 1 }, () => {});
    ledger.share('alice', 1, 1_000_000);
    const found = (hash: string, height: number) =>
      ledger.found({ height, hash, finder: 'alice', time: 1_000_001, reward: '5000000000', networkDifficulty: 1 });
    // As a kill -9 leaves them: one block the node holds, one it never got.
    const held = found(genesis, 0);
    const lost = found('ab'.repeat(32), 1);
    ledger.close();

    const rpc = ['--rpc', node.url, '--rpc-password', node.apiKey, '--script', node.payoutScriptHex, '--datadir', dir];
    const pool = await startPool(rpc, cleanups);
    pool.child.kill('SIGINT');
    expect(await pool.exited).toBe(130);
    expect(pool.stderr()).toContain(
      `block 0 ${genesis} is in the chain but the pool stopped before its ledger line: its split is written now`,
    );
    expect(pool.stderr()).toContain(
      `block 1 ${'ab'.repeat(32)} was found but the pool stopped before the chain took it: written as not accepted`,
    );
    const reopened = Ledger.open(dir, { windowFactor: 2, networkDifficulty: 1 }, () => {});
    expect(reopened.unsettled.size).toBe(0);
    expect(reopened.recentBlocks).toEqual([
      { ...held, type: 'block', accepted: true },
      { ...lost, type: 'block', accepted: false, reason: 'the pool stopped before the chain took it' },
    ]);
    expect(reopened.totals.get('alice')?.earned).toBe(5_000_000_000n);
    reopened.close();
  }, 120_000);
});

describe('kill -9 of a mining pool', () => {
  it('five times at random moments, each as a block reaches the chain, leaves every block in its chain with its split in the ledger', async () => {
    const dir = datadir();
    const minerDir = datadir();
    for (let round = 0; round < 5; round++) {
      const pool = await startPool(['--datadir', dir, ...EASY], cleanups);
      const miner = run(
        ['mine', '--pool', pool.stratum, '--user', `m${round}`, '--threads', '1', '--json', '--datadir', minerDir],
        cleanups,
      );
      // The moment a block reaches the chain's file: kill at once, or a moment later (the riskiest time, as
      // the chain has the block and the ledger may not have its split yet).
      const killAt = 1 + Math.floor(Math.random() * 3);
      await new Promise<void>((resolve) => {
        let appends = 0;
        const watcher = watch(dir, (_event, name) => {
          if (name !== BLOCKS_FILE || ++appends < killAt) return;
          watcher.close();
          setTimeout(resolve, Math.random() * 2);
        });
      });
      pool.child.kill('SIGKILL');
      await pool.exited;
      miner.child.kill('SIGKILL');
      await miner.exited;
    }
    // The sixth start settles what the last kill left, then stops cleanly.
    const last = await startPool(['--datadir', dir, ...EASY], cleanups);
    last.child.kill('SIGINT');
    expect(await last.exited).toBe(130);

    const chain = readStore(dir).scan.blocks.map((block) => hashToDisplayHex(block.hash));
    const records = readFileSync(join(dir, LEDGER_FILE), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line.slice(9)) as { type: string });
    const blocks = records.filter((record): record is BlockRecord => record.type === 'block');
    const paid = new Map(blocks.filter((block) => block.accepted).map((block) => [block.hash, block]));
    expect(chain.length).toBeGreaterThanOrEqual(5);
    expect(chain.filter((hash) => !paid.get(hash)?.split.length)).toEqual([]);
    // Nothing paid twice, nothing paid that the chain does not hold.
    expect(
      blocks
        .filter((block) => block.accepted)
        .map((block) => block.hash)
        .sort(),
    ).toEqual([...chain].sort());
  }, 240_000);
});
