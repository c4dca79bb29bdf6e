// A long history: the ledger starts from it keeping what the PPLNS window can reach, not the history.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
