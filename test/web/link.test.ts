// The teacher's link is checked with the CLI's own ranges, and each number refused is named with its range.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { joinName, linkNotice, linkStart, readLink } from '../../src/ui/app/link.js';
import { BLOCK_COUNT, describeRange, ZERO_BITS } from '../../src/mining/limits.js';
import { runCli } from '../helpers/run-cli.js';

const CORES = 2;
const read = (query: string) => readLink(new URLSearchParams(query), CORES);

describe("the teacher's link", () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-link-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('joins the pool under a name the pool admits (its worker names), and under no other', () => {
    const name = (query: string) => joinName(new URLSearchParams(query));
    expect(name('join=ada')).toBe('ada');
    expect(name('join=ada.laptop-2')).toBe('ada.laptop-2');
    expect(name('join=%20ada%20')).toBe('ada');
    expect(name('join=two%20words')).toBeUndefined();
    expect(name(`join=${'x'.repeat(65)}`)).toBeUndefined();
    expect(name('join=')).toBeUndefined();
    expect(name('zeros=16')).toBeUndefined();
  });

  it('takes the numbers a teacher means', () => {
    expect(read('zeros=16&blocks=3&threads=2&seconds=5&autostart=1')).toEqual({
      numbers: { zeros: 16, blocks: 3, threads: 2, seconds: 5 },
      problems: [],
    });
    expect(read('blocks=0')).toEqual({ numbers: { blocks: 0 }, problems: [] });
  });

  it.each([
    ['blocks=-3', "The link's blocks=-3 is refused: Blocks must be a whole number from 0 up (0: no limit)."],
    ['zeros=0', "The link's zeros=0 is refused: Zero bits must be a whole number from 1 to 255."],
    ['zeros=256', "The link's zeros=256 is refused: Zero bits must be a whole number from 1 to 255."],
    ['zeros=abc', "The link's zeros=abc is refused: Zero bits must be a whole number from 1 to 255."],
    ['zeros=', "The link's zeros= is refused: Zero bits must be a whole number from 1 to 255."],
    ['zeros=1e3', "The link's zeros=1e3 is refused: Zero bits must be a whole number from 1 to 255."],
    ['threads=0', "The link's threads=0 is refused: Threads must be a whole number from 1 to 16."],
    ['threads=17', "The link's threads=17 is refused: Threads must be a whole number from 1 to 16."],
    ['seconds=0', "The link's seconds=0 is refused: Seconds per row must be a whole number from 1 to 60."],
  ])('%s: refused, named with its range', (query, problem) => {
    expect(read(query)).toEqual({ numbers: {}, problems: [problem] });
  });

  it('names every number refused, and keeps the rest', () => {
    const link = read('zeros=12&blocks=-3&threads=99&autostart=1');
    expect(link.numbers).toEqual({ zeros: 12 });
    expect(link.problems.map((problem) => problem.split(' ')[2])).toEqual(['blocks=-3', 'threads=99']);
  });

  it('starts nothing on its own while a number is refused', () => {
    const start = (query: string) => linkStart(new URLSearchParams(query), read(query));
    expect(start('zeros=12&blocks=3&autostart=1')).toBe('mining');
    expect(start('bench=1&threads=2')).toBe('bench');
    expect(start('zeros=12&blocks=-3&autostart=1')).toBe('nothing');
    expect(start('bench=1&seconds=0')).toBe('nothing');
    expect(start('zeros=12')).toBe('nothing');
  });

  it('says what it did not start because of a refused number', () => {
    const notice = (query: string) => linkNotice(new URLSearchParams(query), read(query));
    expect(notice('zeros=12&autostart=1')).toBe('');
    expect(notice('zeros=0')).toBe("The link's zeros=0 is refused: Zero bits must be a whole number from 1 to 255.");
    expect(notice('seconds=99&bench=1')).toBe(
      "The link's seconds=99 is refused: Seconds per row must be a whole number from 1 to 60. " +
        'So the benchmark did not start on its own: set the fields below and press Measure.',
    );
  });

  it('refuses what the CLI refuses, with the same range', async () => {
    const datadir = join(root, 'regtest');
    for (const [flag, value, range] of [
      ['--zeros', '256', ZERO_BITS],
      ['--blocks', '-3', BLOCK_COUNT],
    ] as const) {
      const cli = await runCli(['mine', flag, value, '--datadir', datadir]);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain(`${flag}: must be ${describeRange(range)}, got ${value}`);
      const [problem] = read(`${flag.slice(2)}=${value}`).problems;
      expect(problem).toContain(describeRange(range));
    }
  });
});
