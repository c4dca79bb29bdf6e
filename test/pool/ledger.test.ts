// Vardiff, the PPLNS split and the ledger file: pure arithmetic, and a file torn and damaged on purpose.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE } from '../../src/pool/ledger.js';
import { pplnsSplit } from '../../src/pool/pplns.js';
import { Vardiff } from '../../src/pool/vardiff.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'powlab-ledger-'));
  dirs.push(dir);
  return dir;
};

describe('Vardiff', () => {
  const options = { shareSeconds: 5, minDifficulty: 0.0001, maxDifficulty: 100, startDifficulty: 0.01 };
  it('raises the difficulty of a miner sending shares ten times too fast, by about ten', () => {
    const vardiff = new Vardiff(options, 0);
    let changed: number | undefined;
    for (let i = 1; i <= 6; i++) changed = vardiff.share(0.01, i * 500);
    expect(changed).toBeCloseTo(0.1, 5);
  });
  it('lowers it for a miner that sends nothing, and never below a suggested floor or above the maximum', () => {
    const vardiff = new Vardiff(options, 0);
    expect(vardiff.tick(19_999)).toBeUndefined();
    expect(vardiff.tick(20_000)).toBeCloseTo(0.0025, 6);
    vardiff.suggest(0.002, 20_000);
    expect(vardiff.tick(40_000)).toBeUndefined();
    expect(vardiff.difficulty).toBe(0.002);
    expect(vardiff.suggest(1e6, 40_000)).toBe(100);
  });
  it('leaves a miner on target alone', () => {
    const vardiff = new Vardiff(options, 0);
    for (let i = 1; i <= 6; i++) expect(vardiff.share(0.01, i * 5000)).toBeUndefined();
  });
});

describe('pplnsSplit', () => {
  it('pays by share difficulty in the last N, counting only the part of the oldest share that fits', () => {
    const shares = [
      { miner: 'old', difficulty: 5 },
      { miner: 'a', difficulty: 2 },
      { miner: 'b', difficulty: 1 },
      { miner: 'a', difficulty: 1 },
    ];
    // N = 5: a 3, b 1, and 1 of old's 5.
    expect(pplnsSplit(shares, 5, 1000n)).toEqual([
      { miner: 'a', difficulty: 3, amount: '600' },
      { miner: 'b', difficulty: 1, amount: '200' },
      { miner: 'old', difficulty: 1, amount: '200' },
    ]);
  });
  it('pays every satoshi: what rounding leaves goes to the largest part', () => {
    const split = pplnsSplit(
      [
        { miner: 'a', difficulty: 1 },
        { miner: 'b', difficulty: 1 },
        { miner: 'c', difficulty: 1 },
      ],
      10,
      100n,
    );
    expect(split.map((p) => p.amount)).toEqual(['34', '33', '33']);
  });
});

describe('Ledger', () => {
  const open = (dir: string, warnings: string[] = []) =>
    Ledger.open(dir, { windowFactor: 2, networkDifficulty: 1 }, (m) => warnings.push(m));

  it('replays shares and blocks into the same totals and split after a restart', () => {
    const dir = tempDir();
    const ledger = open(dir);
    ledger.share('alice', 0.5, 1);
    ledger.share('bob', 1, 2);
    const found = ledger.found({
      height: 1,
      hash: 'ab'.repeat(32),
      finder: 'bob',
      time: 3,
      reward: '3000',
      networkDifficulty: 1,
    });
    const block = ledger.settle(found, { accepted: true });
    expect(block.split).toEqual([
      { miner: 'bob', difficulty: 1, amount: '2000' },
      { miner: 'alice', difficulty: 0.5, amount: '1000' },
    ]);
    ledger.share('alice', 1, 4);
    const before = {
      split: ledger.split(3000n, 1),
      totals: [...ledger.totals],
      luck: ledger.blockDifficulty / ledger.totalDifficulty,
    };
    ledger.close();
    const again = open(dir);
    expect({
      split: again.split(3000n, 1),
      totals: [...again.totals],
      luck: again.blockDifficulty / again.totalDifficulty,
    }).toEqual(before);
    expect(again.recentBlocks).toEqual([block]);
    again.close();
  });

  it('cuts off a torn last line with a warning, and refuses a damaged line inside', () => {
    const dir = tempDir();
    const ledger = open(dir);
    ledger.share('alice', 1, 1);
    ledger.close();
    appendFileSync(join(dir, LEDGER_FILE), '0badc0de {"type":"share","miner":"bo');
    const warnings: string[] = [];
    const reopened = open(dir, warnings);
    expect(warnings[0]).toMatch(/ended in a torn write \(36 bytes after line 1\): cut off/);
    expect(reopened.totals.get('alice')?.shares).toBe(1);
    reopened.share('bob', 1, 2);
    reopened.close();
    expect(readFileSync(join(dir, LEDGER_FILE), 'utf8').split('\n')).toHaveLength(3);
    const file = join(dir, LEDGER_FILE);
    writeFileSync(file, `garbage\n${readFileSync(file, 'utf8')}`);
    expect(() => open(dir)).toThrow(
      /pool-ledger.jsonl is damaged at line 1: no checksum where the line should start; left untouched/,
    );
  });
});
