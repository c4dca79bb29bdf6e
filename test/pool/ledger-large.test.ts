// A long history: the ledger starts from it keeping what the PPLNS window can reach, and compacts it so the next start reads no more than that.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE } from '../../src/pool/ledger.js';
import { encodeRecordLine } from '../../src/storage/records.js';

const SHARES = 250_000;
const SHARES_PER_BLOCK = 1000;
const SHARE_DIFFICULTY = 0.001;
const MINERS = 50;
const REWARD = 5_000_000_000;

/** The ledger a pool would have written over 250,000 shares and 250 blocks, built in one go. */
function longHistory(file: string): void {
  const lines: string[] = [];
  for (let i = 0; i < SHARES; i++) {
    lines.push(encodeRecordLine({ type: 'share', miner: `m${i % MINERS}`, difficulty: SHARE_DIFFICULTY, time: i }));
    if ((i + 1) % SHARES_PER_BLOCK === 0) {
      const block = {
        height: (i + 1) / SHARES_PER_BLOCK,
        hash: ((i + 1) / SHARES_PER_BLOCK).toString(16).padStart(64, '0'),
        finder: `m${i % MINERS}`,
        time: i,
        reward: String(REWARD),
        networkDifficulty: 1,
        window: 2,
        split: [{ miner: `m${i % MINERS}`, difficulty: 1, amount: String(REWARD) }],
      };
      lines.push(
        encodeRecordLine({ type: 'found', ...block }),
        encodeRecordLine({ type: 'block', ...block, accepted: true }),
      );
    }
  }
  writeFileSync(file, lines.join(''));
}

describe('a ledger with a long history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'powlab-ledger-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts holding the shares of one window and the last blocks, with every total right', () => {
    longHistory(join(dir, LEDGER_FILE));
    const ledger = Ledger.open(dir, { windowFactor: 2, networkDifficulty: 1 }, () => {});
    // N = 2 × block difficulty 1 = 2 of share difficulty: 2000 shares of 0.001, and the one the oldest part fits in.
    expect(ledger.windowShares).toBeLessThanOrEqual(2 / SHARE_DIFFICULTY + 1);
    expect(ledger.windowShares).toBeGreaterThanOrEqual(2 / SHARE_DIFFICULTY);
    expect(ledger.recentBlocks).toHaveLength(100);
    expect(ledger.unsettled.size).toBe(0);
    expect(ledger.blocks).toBe(SHARES / SHARES_PER_BLOCK);
    expect(ledger.totals.size).toBe(MINERS);
    expect([...ledger.totals.values()].reduce((sum, totals) => sum + totals.shares, 0)).toBe(SHARES);
    expect([...ledger.totals.values()].reduce((sum, totals) => sum + totals.earned, 0n)).toBe(
      BigInt(REWARD) * BigInt(SHARES / SHARES_PER_BLOCK),
    );
    ledger.close();
  });

  it('moves the history to an archive and starts over from the state: the next start reads a window, not the history', () => {
    const file = join(dir, LEDGER_FILE);
    longHistory(file);
    const history = readFileSync(file);
    const options = { windowFactor: 2, networkDifficulty: 1, compactAfterLines: 10_000 };
    const first = Ledger.open(dir, options, () => {});
    const state = (ledger: Ledger) => ({
      totals: [...ledger.totals],
      split: ledger.split(BigInt(REWARD), 1),
      counters: [ledger.totalDifficulty, ledger.roundDifficulty, ledger.blockDifficulty, ledger.blocks],
      recentBlocks: ledger.recentBlocks,
      windowShares: ledger.windowShares,
    });
    const before = state(first);
    first.close();
    const archives = readdirSync(dir).filter((name) => /^pool-ledger-.*\.jsonl$/.test(name));
    expect(archives).toHaveLength(1);
    expect(readFileSync(join(dir, archives[0])).equals(history)).toBe(true);
    // The counters, 50 miners' totals, the window's shares and 100 blocks.
    const lines = readFileSync(file, 'utf8').split('\n').length - 1;
    expect(lines).toBe(1 + MINERS + before.windowShares + 100);
    const again = Ledger.open(dir, options, () => {});
    expect(state(again)).toEqual(before);
    // Appending goes on from there, and compacts again once the history passes the limit once more.
    for (let i = 0; i < 12_000; i++) again.share('late', SHARE_DIFFICULTY, SHARES + i);
    again.close();
    expect(readdirSync(dir).filter((name) => /^pool-ledger-.*\.jsonl$/.test(name))).toHaveLength(2);
    const last = Ledger.open(dir, options, () => {});
    expect(last.totals.get('late')?.shares).toBe(12_000);
    expect(last.blocks).toBe(before.counters[3]);
    last.close();
  });

  it('when compacting fails, says so, keeps every line, and tries again later', () => {
    const failing = join(dir, 'failing');
    // Where the compacted ledger would be written first: a folder, so that write fails.
    mkdirSync(join(failing, `${LEDGER_FILE}.tmp`), { recursive: true });
    const warnings: string[] = [];
    const options = { windowFactor: 2, networkDifficulty: 1, compactAfterLines: 5 };
    const ledger = Ledger.open(failing, options, (message) => warnings.push(message));
    for (let i = 0; i < 20; i++) ledger.share('alice', 1, i);
    ledger.close();
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toBe(
      `cannot write ${join(failing, LEDGER_FILE)}: it is a folder, not a file (EISDIR): the ledger was not compacted; trying again in 5 lines`,
    );
    rmSync(join(failing, `${LEDGER_FILE}.tmp`), { recursive: true });
    const reopened = Ledger.open(failing, options, () => {});
    expect(reopened.totalDifficulty).toBe(20);
    reopened.close();
  });
});
