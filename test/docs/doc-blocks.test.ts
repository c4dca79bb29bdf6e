// How the doc test reads a page's code blocks, and how strictly it holds a quote to the output.
import { describe, expect, it } from 'vitest';
import { blocksIn, linePattern, quoteMismatch } from './doc-blocks.js';

describe('reading a page', () => {
  it('finds prompt lines with their quoted output, plain lines and script blocks, and drops comments', () => {
    const page = [
      '```sh',
      '$ npx powlab hash 00 # a comment',
      '0000beef',
      '',
      '$ curl -s http://127.0.0.1:8420/api/status',
      '```',
      '```sh',
      'bitcoin-cli submitblock "$(cat ~/.powlab/regtest/found/x.json)"',
      '```',
      '```sh',
      'cd powlab',
      'powlab mine --blocks 1',
      '```',
      '```sh',
      'H=$(powlab explain --json)',
      'echo $H',
      '```',
      '```console',
      '$ for x in 00 01; do \\',
      '    powlab hash $x; done',
      'one',
      '…',
      '```',
      '```',
      'p = (target + 1) / 2^256',
      '```',
      '1. **In a list:**',
      '   ```console',
      '   $ powlab explain',
      '      at 2.56 MH/s',
      '   ```',
    ].join('\n');
    expect(blocksIn('x.md', page).map((block) => [block.line, block.commands])).toEqual([
      [
        2,
        [
          { line: 2, text: 'npx powlab hash 00', quote: ['0000beef'] },
          { line: 5, text: 'curl -s http://127.0.0.1:8420/api/status', quote: [] },
        ],
      ],
      [11, [{ line: 12, text: 'powlab mine --blocks 1', quote: [] }]],
      [15, [{ line: 15, text: 'H=$(powlab explain --json)\necho $H', quote: [] }]],
      [19, [{ line: 19, text: 'for x in 00 01; do \\\n    powlab hash $x; done', quote: ['one', '…'] }]],
      [29, [{ line: 29, text: 'powlab explain', quote: ['   at 2.56 MH/s'] }]],
    ]);
  });
});

describe('holding a quote to the output', () => {
  // Lab 0's quote as a page shows it, and what a later run printed.
  const quote = [
    'mining the built-in regtest chain in /home/you/.powlab/regtest: tip 0, target 1e03ffff (difficulty 0.000977), 2 × wasm',
    'block 1 0000001557667931b62edd425c765ca5537af72420770c9884c8345dab510461 nonce 2499353 after 2.28M hashes in 360 ms (6.32 MH/s); workers stopped in 6.8 ms',
    '1 block mined, tip 1; 2.29M hashes in 480 ms at 4.80 MH/s; best hash this run 27 zero bits (difficulty 0.04686), the best ever here',
  ];
  const output = [
    'Warning: something a library printed',
    'mining the built-in regtest chain in /home/you/.powlab/regtest: tip 0, target 1e03ffff (difficulty 0.000977), 16 × wasm',
    'block 1 000001d8edfedd58cd7a8f159fae031f1cf7751ef2dca211853e81b71e776d90 nonce 9990765 after 950 hashes in 2.40 s (850 kH/s); workers stopped in 12 µs',
    '1 block mined, tip 1; 9.99M hashes in 4 min 05 s at 3.28 MH/s; best hash this run 23 zero bits (difficulty 2.114e-3), the best ever here',
    '',
  ].join('\n');

  it('lets hashes, nonces, counts, durations and hashrates differ, and the quote start and end anywhere', () => {
    expect(quoteMismatch(quote, output)).toBeNull();
    expect(quoteMismatch([quote[1]], output)).toBeNull();
  });

  it('fails a renamed label, a changed word or a changed unit', () => {
    expect(quoteMismatch([quote[0], quote[1].replace('nonce', 'Nonce'), quote[2]], output)).toMatch(
      /"block 1 .* Nonce .*" does not follow "mining the built-in/,
    );
    expect(quoteMismatch([quote[2].replace('best ever', 'best')], output)).toMatch(/is not in the output/);
    expect(quoteMismatch([quote[1].replace('MH/s', 'MH')], output)).not.toBeNull();
    // A duration in a format the program no longer prints (0.36s for 360 ms).
    expect(quoteMismatch([quote[1].replace('360 ms', '0.36s')], output)).not.toBeNull();
  });

  it('fails a quoted line the program no longer prints, and a line it prints that the quote leaves out', () => {
    expect(quoteMismatch([...quote, 'next block expected in 1.28 s'], output)).toMatch(
      /"next block expected in 1.28 s" does not follow "1 block mined/,
    );
    expect(quoteMismatch([quote[0], quote[2]], output)).not.toBeNull();
    expect(quoteMismatch([quote[2], quote[1]], output)).not.toBeNull();
  });

  it('skips lines only where a line of … says so, and matches any text where … stands in a line', () => {
    expect(quoteMismatch([quote[0], '…', quote[2]], output)).toBeNull();
    expect(quoteMismatch(['…', 'block 1 … nonce 2499353 …', '…'], output)).toBeNull();
    expect(quoteMismatch(['block 1 … nonce 2499353 …'], 'block 1 abc')).not.toBeNull();
  });

  it('holds indentation to the letter and lets a run of spaces stand for any run', () => {
    expect(linePattern('   merkle root   4ab8ad4b').test('   merkle root 0011aabb')).toBe(true);
    expect(linePattern('   merkle root   4ab8ad4b').test('merkle root   0011aabb')).toBe(false);
    expect(linePattern('tip 0').test('tip0')).toBe(false);
  });

  it('takes a count in any of its scales, a chance in any of its forms, and a duration in any of its units', () => {
    const odds = linePattern('   chance one hash wins = (target + 1) / 2^256 = 1 in 16.8 million');
    expect(odds.test('   chance one hash wins = (target + 1) / 2^256 = 1 in 4,100')).toBe(true);
    expect(odds.test('   chance one hash wins = (target + 1) / 2^256 = 1 in 2.26e+20')).toBe(true);
    expect(odds.test('   chance one hash wins = (target + 1) / 2^256 = 0.024%')).toBe(true);
    expect(odds.test('   chance one hash wins = (target + 1) / 2^256 = 5.960e-8')).toBe(false);
    const time = linePattern('     expected time to a block 6.71 s; half of all blocks come within 4.65 s');
    expect(time.test('     expected time to a block 2.87 million years; half of all blocks come within 1.64 ms')).toBe(
      true,
    );
  });

  it('takes a hash only for a hash of the same length', () => {
    expect(linePattern('hash 00000015576679b1').test('hash 00000015576679')).toBe(false);
    expect(linePattern('hash 00000015576679b1').test('hash 7e00a01557667931')).toBe(true);
  });
});
