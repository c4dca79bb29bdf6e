// A ledger damaged on purpose, each way at a known line: every one is refused with the file and the line, untouched.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger, LEDGER_FILE } from '../../src/pool/ledger.js';
import { encodeRecordLine, scanRecordFile } from '../../src/storage/records.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const open = (dir: string, warnings: string[] = []) =>
  Ledger.open(dir, { windowFactor: 2, networkDifficulty: 1 }, (m) => warnings.push(m));

/** A closed ledger of five shares and a block (line 6), then two more shares: eight lines. */
function writtenLedger(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'powlab-ledger-damage-'));
  dirs.push(dir);
  const ledger = open(dir);
  for (let i = 0; i < 5; i++) ledger.share(i % 2 ? 'alice' : 'bob', 0.25, 1000 + i);
  ledger.settle(
    ledger.found({
      height: 1,
      hash: 'cd'.repeat(32),
      finder: 'bob',
      time: 2000,
      reward: '5000000000',
      networkDifficulty: 1,
    }),
    { accepted: true },
  );
  ledger.share('alice', 0.5, 3000);
  ledger.share('bob', 0.5, 3001);
  ledger.close();
  return { dir, file: join(dir, LEDGER_FILE) };
}

/** Replace line `line` (1-based) of `file` with `text`. */
function replaceLine(file: string, line: number, text: string): Buffer {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[line - 1] = text;
  writeFileSync(file, lines.join('\n'));
  return readFileSync(file);
}

/** A line with a good checksum around a record of our choosing: only the range checks can refuse it. */
const lineFor = (record: object) => encodeRecordLine(record).trimEnd();
const share = (fields: object) => lineFor({ type: 'share', miner: 'alice', difficulty: 1, time: 5, ...fields });

describe('a damaged ledger', () => {
  it('a flipped digit in the middle is refused with the file and the line, and the file is left as it was', () => {
    const { dir, file } = writtenLedger();
    const lines = readFileSync(file, 'utf8').split('\n');
    // The block's reward 5000000000 becomes 5000000001: valid JSON, in range, only the checksum knows.
    const damaged = replaceLine(file, 6, lines[5].replace('"reward":"5000000000"', '"reward":"5000000001"'));
    expect(() => open(dir)).toThrow(
      `${file} is damaged at line 6: checksum mismatch (the line changed on disk); left untouched`,
    );
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it('a line cut short in the middle (run into the next) is refused at that line, not cut off as a torn tail', () => {
    const { dir, file } = writtenLedger();
    const text = readFileSync(file, 'utf8');
    const third = text.split('\n').slice(0, 2).join('\n').length + 1;
    writeFileSync(file, text.slice(0, third + 20) + text.slice(text.indexOf('\n', third) + 1));
    const warnings: string[] = [];
    expect(() => open(dir, warnings)).toThrow(/pool-ledger.jsonl is damaged at line 3: checksum mismatch/);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a negative difficulty', share({ difficulty: -1 }), /a share difficulty out of range \(-1\)/],
    ['a difficulty of 1e308', share({ difficulty: 1e308 }), /a share difficulty out of range \(1e\+308\)/],
    ['a NaN difficulty (JSON writes null)', share({ difficulty: NaN }), /a share difficulty out of range \(null\)/],
    ['a name with a space', share({ miner: 'al ice' }), /a share whose miner is not a worker name/],
    ['a name of 65 characters', share({ miner: 'a'.repeat(65) }), /a share whose miner is not a worker name/],
    ['a time that is not a whole number', share({ time: 1.5 }), /a share time out of range \(1.5\)/],
    [
      'a record of no kind',
      lineFor({ type: 'bonus', miner: 'alice' }),
      /not a record the ledger keeps \(share, found, block, counters, totals, window, recent\)/,
    ],
  ])('%s is refused with the file and the line', (_what, line, reason) => {
    const { dir, file } = writtenLedger();
    replaceLine(file, 4, line);
    expect(() => open(dir)).toThrow(new RegExp(`${file} is damaged at line 4: ${reason.source}; left untouched`));
  });

  it.each([
    [
      'a payout above the reward',
      { amount: '6000000000' },
      /a block's split paying 6000000000 satoshis of a 5000000000 reward/,
    ],
    ['a negative amount', { amount: '-1' }, /a payout amount out of range \(-1\)/],
    ['an amount of more than 21 million bitcoin', { amount: '2100000000000001' }, /a payout amount out of range/],
    ['a payout to a bad name', { miner: '' }, /a block's split paying something that is not a worker name/],
  ])('a block whose split has %s is refused', (_what, payout, reason) => {
    const { dir, file } = writtenLedger();
    const block = JSON.parse(readFileSync(file, 'utf8').split('\n')[5].slice(9)) as { split: object[] };
    block.split = [{ ...block.split[0], ...payout }];
    replaceLine(file, 6, lineFor(block));
    expect(() => open(dir)).toThrow(new RegExp(`damaged at line 6: ${reason.source}`));
  });

  it('a ledger written before checksums is refused on its first line, saying why', () => {
    const { dir, file } = writtenLedger();
    writeFileSync(file, '{"type":"share","miner":"alice","difficulty":1,"time":5}\n');
    expect(() => open(dir)).toThrow(/damaged at line 1: no checksum: it was written by an older powlab/);
  });

  it('a line longer than the cap is refused by number, without reading the rest into memory', () => {
    const { file } = writtenLedger();
    replaceLine(file, 7, share({ miner: 'alice' }).padEnd(5000, ' '));
    expect(() => scanRecordFile(file, 4096, () => undefined)).toThrow(
      `${file} is damaged at line 7: a line longer than the 4096 bytes allowed; left untouched`,
    );
  });
});

describe('a block whose ledger line the pool never wrote', () => {
  it('is listed as unsettled at the next start, and settling it writes its split as found', () => {
    const { dir } = writtenLedger();
    const ledger = open(dir);
    ledger.share('carol', 1, 4000);
    const found = ledger.found({
      height: 2,
      hash: 'ef'.repeat(32),
      finder: 'carol',
      time: 4001,
      reward: '5000000000',
      networkDifficulty: 1,
    });
    // A kill -9 here: the block reached the chain, its verdict never reached the ledger.
    ledger.close();
    const reopened = open(dir);
    expect([...reopened.unsettled.values()]).toEqual([found]);
    const earnedBefore = reopened.totals.get('carol')?.earned ?? 0n;
    const settled = reopened.settle(found, { accepted: true });
    expect(settled.split).toEqual(found.split);
    expect(reopened.totals.get('carol')!.earned - earnedBefore).toBe(
      BigInt(found.split.find((p) => p.miner === 'carol')!.amount),
    );
    reopened.close();
    const again = open(dir);
    expect(again.unsettled.size).toBe(0);
    expect(again.recentBlocks.at(-1)).toEqual(settled);
    again.close();
  });
});
