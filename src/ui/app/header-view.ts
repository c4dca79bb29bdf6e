/** A header taken apart, field by field, with the time it takes at the hashrate last measured here. */
import { headerBytesFromHex } from '../../core/header.js';
import { explainHeader, timeAtHashrate } from '../../explain/header.js';
import { formatChance, formatCount, formatDifficulty, formatDuration, formatHashrate } from '../../format/numbers.js';
import { $, facts, hex, say, type Fact } from './dom.js';
import { pageError } from './words.js';

/** Show the pasted header taken apart; its bytes, or undefined (and why, shown) when it is no header. */
export function explainPasted(pasted: string, hashrate: number): Uint8Array | undefined {
  const target = $('header-explained');
  say('header-error', '');
  target.replaceChildren();
  try {
    const bytes = headerBytesFromHex(pasted.replace(/\s+/g, ''));
    const explanation = explainHeader(bytes);
    const rows: [string, Fact][] = explanation.fields.map((f) => [
      `${f.name} (bytes ${f.offset}–${f.offset + f.length - 1})`,
      [hex(f.hex), ' → ', typeof f.value === 'string' ? hex(f.value) : String(f.value)],
    ]);
    rows.push(
      ['first SHA-256 chunk', hex(explanation.chunks[0])],
      ['second chunk (holds the nonce)', hex(explanation.chunks[1])],
      ['midstate', hex(explanation.midstate)],
      ['first hash', hex(explanation.firstHash)],
      ['block hash', hex(explanation.hash)],
      ['target', hex(explanation.target)],
      ['meets its target', explanation.meetsTarget ? 'yes' : 'no'],
      [
        'leading zero bits',
        `${explanation.leadingZeroBits} (the target asks for ${explanation.targetLeadingZeroBits})`,
      ],
      ['difficulty', formatDifficulty(explanation.difficulty)],
      ['expected hashes per block', formatCount(explanation.expectedHashes)],
    );
    if (hashrate > 0) {
      const time = timeAtHashrate(explanation, hashrate);
      rows.push([
        `at ${formatHashrate(hashrate)}`,
        `a block takes ${formatDuration(time.expectedSeconds)} on average; one header's 2^32 nonces last ${formatDuration(time.nonceSpaceSeconds)}; chance within an hour ${formatChance(time.chanceWithinHour)}`,
      ]);
    }
    target.append(facts(rows));
    return bytes;
  } catch (error) {
    say('header-error', pageError(error));
    return undefined;
  }
}
