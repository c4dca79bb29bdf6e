/** The walk-through `powlab explain` prints: the facts of src/explain in the order a miner meets them. */
import type { BlockExplanation, OutputFacts } from '../explain/block.js';
import type { explainHeader, FieldName, HeaderField, timeAtHashrate } from '../explain/header.js';
import type { RetargetFacts } from '../explain/retarget.js';
import { measuredOn, type Measurement } from '../miner/measure.js';
import {
  countOf,
  formatBtc,
  formatChance,
  formatChanceFromLog10,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatInteger,
  formatLarge,
  formatNearCertainty,
} from '../format/numbers.js';
import { paint, type Colour } from './output.js';

/** Where the header explained came from. */
export type ExplainSource =
  | { kind: 'header' }
  | { kind: 'genesis'; chain: 'regtest' | 'classnet' }
  | { kind: 'store'; datadir: string; height: number; tip: boolean; chain: 'regtest' | 'classnet' }
  | { kind: 'block'; file: string | null };

/** Everything `powlab explain` says, as `--json` prints it and the walk-through below words it. */
export type Explanation = { source: ExplainSource } & ReturnType<typeof explainHeader> &
  ReturnType<typeof timeAtHashrate> & {
    hashrateSource: 'given' | 'measured';
    measurement?: Omit<Measurement, 'hashrate'>;
    block?: BlockExplanation;
    /** How a classnet block at a retarget height got its bits. */
    retarget?: RetargetFacts;
  };

const FIELD_STYLE: Record<FieldName, { label: string; colour: Colour }> = {
  version: { label: 'version', colour: 'magenta' },
  prevHash: { label: 'prev hash', colour: 'blue' },
  merkleRoot: { label: 'merkle root', colour: 'green' },
  time: { label: 'time', colour: 'yellow' },
  bits: { label: 'bits', colour: 'cyan' },
  nonce: { label: 'nonce', colour: 'red' },
};

const INDENT = '   ';
const BYTES_PER_ROW = 16;
/** The width of the walk-through's prose. */
const WIDTH = 100;

export function renderExplanation(e: Explanation): string {
  const out: string[] = [];
  const say = (...lines: string[]) => out.push(...lines);
  const heading = (text: string) => say('', paint(text, 'bold'));
  // Fixed numbers, whether or not a step applies to this header, so a worksheet's "step 7" is always the odds.
  const stepHeading = (step: number, text: string) => heading(`${step}. ${text}`);

  say(`${paint('powlab explain', 'bold')}: ${describeSource(e)}`, `${INDENT}block hash ${e.hash}`);

  stepHeading(1, 'The 80 bytes of the header');
  say(...hexDump(e.header, e.fields));
  say('');
  for (const field of e.fields) say(...fieldLines(field));
  say(
    '',
    `${INDENT}Every number in the header is little-endian: its least significant byte comes first, so the`,
    `${INDENT}bytes ${e.fields[0].hex} are the version ${e.fields[0].value}. Bitcoin was written on x86 processors, which keep`,
    `${INDENT}integers that way in memory, and it writes them out just as they sit there. The two hashes are`,
    `${INDENT}kept in the byte order SHA-256 produced them and shown reversed, as explorers show them (step 4).`,
  );

  stepHeading(2, 'Where the merkle root comes from');
  if (e.block) say(...blockLines(e.block));
  else
    say(`${INDENT}(not shown: a header alone does not carry its transactions; --block or --height give a whole block)`);

  stepHeading(3, 'The first SHA-256, through the midstate');
  say(
    `${INDENT}SHA-256 reads its message in 64-byte chunks. The header is padded to two: 0x80, zeros, and`,
    `${INDENT}its length in bits (640 = 0x280) at the end.`,
    `${column('chunk 1, bytes 0..63')}${e.chunks[0].slice(0, 64)}`,
    `${column('')}${e.chunks[0].slice(64)}`,
    `${column('chunk 2, bytes 64..79, padding')}${e.chunks[1].slice(0, 32)}${paint(e.chunks[1].slice(32, 64), 'grey')}`,
    `${column('')}${paint(e.chunks[1].slice(64), 'grey')}`,
    `${INDENT}midstate = compress(initial state, chunk 1)`,
    `${column('')}${words(e.midstate)}`,
    `${INDENT}Chunk 1 holds no nonce, so it is the same for all 2^32 nonces: a miner compresses it once and`,
    `${INDENT}starts every nonce from this midstate.`,
    `${INDENT}first hash = compress(midstate, chunk 2)`,
    `${column('')}${words(e.firstHash)}`,
  );

  stepHeading(4, 'The second SHA-256, and the hash shown reversed');
  say(
    `${INDENT}The 32-byte first hash is hashed again, padded to one chunk (0x80, zeros, 256 bits = 0x100).`,
    `${INDENT}second hash, as SHA-256 writes it: ${e.hashInternal}`,
    `${INDENT}reversed, the block hash:          ${paint(e.hash, 'bold')}`,
    `${INDENT}Bitcoin reads the 32 bytes as one little-endian number; written most significant digit first,`,
    `${INDENT}it shows its leading zeros (${countOf(e.leadingZeroBits, 'zero bit')} here). With the midstate, each nonce costs two`,
    `${INDENT}compressions (chunk 2, then this second hash) instead of three.`,
  );

  stepHeading(5, 'The target, from the compact bits');
  const { exponent, mantissa } = e.bits;
  say(
    `${INDENT}bits 0x${e.bits.hex}: exponent 0x${hex2(exponent)} (${exponent}), mantissa 0x${mantissa.toString(16).padStart(6, '0')}`,
    exponent >= 3
      ? `${INDENT}target = mantissa x 256^(exponent - 3) = 0x${mantissa.toString(16)} x 256^${exponent - 3}`
      : `${INDENT}target = the mantissa's top ${countOf(exponent, 'byte')} (an exponent below 3 drops the low bytes)`,
    `${INDENT}       = ${e.target}`,
  );
  if (e.retarget) say(...retargetLines(e.retarget));

  stepHeading(6, 'The hash against the target');
  const verdict = e.meetsTarget
    ? paint('hash <= target: a valid proof of work', 'green')
    : paint('hash > target: not a valid proof of work', 'red');
  say(
    `${INDENT}hash   ${e.hash}`,
    `${INDENT}target ${e.target}`,
    `${INDENT}${verdict} (the hash has ${countOf(e.leadingZeroBits, 'leading zero bit')}; every hash under this target has ${e.targetLeadingZeroBits})`,
  );

  stepHeading(7, 'Difficulty and the odds');
  const measured = e.measurement ? measuredOn(e.measurement) : 'as given with --hashrate';
  say(
    `${INDENT}difficulty = difficulty-1 target / target = ${formatDifficulty(e.difficulty)}`,
    `${INDENT}chance one hash wins = (target + 1) / 2^256 = ${formatChance(e.probabilityPerHash)}`,
    `${INDENT}expected hashes per block = 2^256 / (target + 1) = ${e.expectedHashes < 1e6 ? formatInteger(e.expectedHashes) : formatLarge(e.expectedHashes)} (about difficulty x 2^32)`,
    `${INDENT}at ${paint(formatHashrate(e.hashrate), 'cyan')}, ${measured}:`,
    `${INDENT}  expected time to a block ${paint(formatDuration(e.expectedSeconds), 'bold')}; half of all blocks come within ${formatDuration(e.medianSeconds)}`,
    `${INDENT}  chance of a block within the next hour ${formatChance(e.chanceWithinHour)}`,
    `${INDENT}  (the wait is exponentially distributed: no memory, so time already spent does not bring a block closer)`,
  );

  stepHeading(8, 'When the nonces run out');
  say(
    `${INDENT}The nonce is 32 bits: ${formatCount(e.nonceSpace)} tries per header, ${formatDuration(e.nonceSpaceSeconds)} at this hashrate.`,
    `${INDENT}A block takes expected hashes / 2^32 = ${formatDifficulty(e.expectedHeaders)} headers' worth of nonces on average.`,
    ...noncesRunOutLines(e),
  );
  const next = e.block?.nextExtranonce;
  if (next) {
    say(
      `${INDENT}For this block, extranonce ${next.index} (${next.extranonce}) would give`,
      `${INDENT}  coinbase txid ${next.coinbaseTxid}`,
      `${INDENT}  merkle root   ${next.merkleRoot}`,
      `${INDENT}  midstate      ${words(next.midstate)}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** The chance a header's nonces all fail and its complement, each with the digits that matter; then what a miner does. */
function noncesRunOutLines(e: Explanation): string[] {
  const extranonce =
    'the miner changes the extranonce in the coinbase transaction: a new txid, so a new merkle root, so a new ' +
    'chunk 1, a new midstate and 2^32 fresh nonces. (Moving the time works too, once a second.)';
  if (e.probabilityNoncesRunOut < 1e-4) {
    return paragraph(
      `The chance that all 2^32 nonces of one header fail is (1 - p)^(2^32) = ${formatChanceFromLog10(e.log10NoncesRunOut)}, ` +
        'so one header all but surely holds a winning nonce: at this target the nonces never run out. ' +
        `At a harder target they do, and then ${extranonce}`,
    );
  }
  const allFail =
    e.probabilityNoncesRunOut < 0.99
      ? formatChance(e.probabilityNoncesRunOut)
      : formatNearCertainty(e.probabilityHeaderWins);
  return paragraph(
    `The chance that one header holds a winning nonce is 1 - (1 - p)^(2^32) = ${formatChance(e.probabilityHeaderWins)}, ` +
      `so the chance that all its 2^32 nonces fail is ${allFail}. When they do, ${extranonce}`,
  );
}

/** Text wrapped at word breaks to the width the walk-through keeps, indented. */
function paragraph(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && INDENT.length + line.length + 1 + word.length > WIDTH) {
      lines.push(`${INDENT}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, `${INDENT}${line}`];
}

function describeSource(e: Explanation): string {
  switch (e.source.kind) {
    case 'header':
      return 'the header given';
    case 'genesis':
      return `the ${e.source.chain} genesis block`;
    case 'store':
      return `block ${e.source.height}${e.source.tip ? ' (the tip)' : ''} of the built-in ${e.source.chain === 'classnet' ? 'classnet ' : ''}chain in ${e.source.datadir}`;
    case 'block':
      return `the block ${e.source.file === null ? 'given' : `in ${e.source.file}`}${e.block?.height === null ? '' : `, height ${e.block?.height}`}`;
  }
}

function fieldAt(fields: HeaderField[], offset: number): HeaderField {
  return fields.find((f) => offset >= f.offset && offset < f.offset + f.length)!;
}

/** 16 bytes a row, each coloured by its field, with the field names under them (for a screen without colour). */
function hexDump(headerHex: string, fields: HeaderField[]): string[] {
  const lines: string[] = [];
  for (let row = 0; row < headerHex.length / 2; row += BYTES_PER_ROW) {
    const bytes: string[] = [];
    const labels: string[] = [];
    let offset = row;
    const end = Math.min(row + BYTES_PER_ROW, headerHex.length / 2);
    while (offset < end) {
      const field = fieldAt(fields, offset);
      const segmentEnd = Math.min(end, field.offset + field.length);
      const style = FIELD_STYLE[field.name];
      const segment = [];
      for (let i = offset; i < segmentEnd; i++) segment.push(headerHex.slice(2 * i, 2 * i + 2));
      bytes.push(paint(segment.join(' '), style.colour));
      const width = 3 * (segmentEnd - offset) - 1;
      labels.push(paint(style.label.slice(0, width).padEnd(width, '-'), style.colour));
      offset = segmentEnd;
    }
    lines.push(`${INDENT}${String(row).padStart(2)}  ${bytes.join(' ')}`, `${INDENT}    ${labels.join(' ')}`);
    if (row + BYTES_PER_ROW === 64)
      lines.push(`${INDENT}    ${paint('-- end of SHA-256 chunk 1: the midstate covers everything above --', 'grey')}`);
  }
  return lines;
}

function fieldLines(field: HeaderField): string[] {
  const style = FIELD_STYLE[field.name];
  const where = `bytes ${String(field.offset).padStart(2)}..${String(field.offset + field.length - 1).padEnd(2)}`;
  const head = `${INDENT}${paint(style.label.padEnd(12), style.colour)}${where}  `;
  const pad = ' '.repeat(INDENT.length + 12 + where.length + 2);
  switch (field.name) {
    case 'prevHash':
    case 'merkleRoot':
      return [`${head}${field.hex}  as stored`, `${pad}${field.value}  shown reversed`];
    case 'time':
      return [
        `${head}${field.hex}  = ${field.value}, ${new Date(Number(field.value) * 1000).toISOString().replace('.000Z', 'Z')}`,
      ];
    case 'bits':
      return [`${head}${field.hex}  = 0x${field.value}`];
    case 'version':
    case 'nonce':
      return [`${head}${field.hex}  = ${field.value} (0x${(Number(field.value) >>> 0).toString(16).padStart(8, '0')})`];
  }
}

function blockLines(block: BlockExplanation): string[] {
  const cb = block.coinbase;
  const lines = [
    `${INDENT}coinbase txid ${cb.txid}`,
    `${INDENT}its scriptSig (${cb.scriptSig.length / 2} bytes) pushes:`,
  ];
  for (const push of cb.pushes) {
    const bytes = push.hex || `opcode 0x${hex2(push.opcode)}`;
    const meaning =
      push.role === 'bip34Height'
        ? `the block height, ${push.value} (BIP 34: it makes every coinbase, so every txid, unique)`
        : push.role === 'extranonce'
          ? `the extranonce, ${push.value} as a little-endian number: the miner's second nonce`
          : push.role === 'tag'
            ? `a tag, "${push.value}"`
            : push.value === undefined
              ? ''
              : typeof push.value === 'string'
                ? `"${push.value}"`
                : `the number ${push.value}`;
    lines.push(`${INDENT}  ${bytes.length > 40 ? `${bytes.slice(0, 37)}...` : bytes.padEnd(40)}  ${meaning}`);
  }
  if (block.height === 0)
    lines.push(`${INDENT}(the genesis coinbase predates BIP 34: it carries The Times headline instead of a height)`);
  else if (cb.bip34Height === null)
    lines.push(
      `${INDENT}(no BIP 34 height: a version 1 block, from before the height went into the coinbase at block 227,931)`,
    );
  lines.push(`${INDENT}it pays:`, ...cb.outputs.map((output) => `${INDENT}  ${outputLine(output)}`));
  lines.push(...rewardLines(block));
  const commitment = block.witnessCommitment;
  if (commitment) {
    lines.push(
      `${INDENT}witness commitment (BIP 141) ${commitment.commitment}`,
      `${INDENT}  = SHA-256d(witness merkle root ${commitment.witnessRoot}, reserved value): ${commitment.matches ? paint('matches the wtxids', 'green') : paint('does NOT match the wtxids', 'red')}`,
    );
  }
  if (block.transactions === 1) {
    lines.push(`${INDENT}One transaction, so the merkle tree is a single leaf: the root is the coinbase txid.`);
  } else {
    lines.push(
      `${INDENT}The merkle tree: each level hashes pairs of the one below (SHA-256d of the two, an odd last one paired with itself).`,
    );
    block.merkleLevels.forEach((level, i) => {
      const name = i === 0 ? 'the txids' : i === block.merkleLevels.length - 1 ? 'the root' : `${level.length} hashes`;
      lines.push(`${INDENT}level ${i}, ${name}:`, ...level.map((hash) => `${INDENT}  ${hash}`));
    });
  }
  lines.push(
    `${INDENT}merkle root ${block.merkleRoot} ${block.merkleRootMatchesHeader ? paint('matches the header', 'green') : paint('does NOT match the header', 'red')}`,
  );
  return lines;
}

/** One output: its value and whom it pays. */
export function outputLine(output: OutputFacts): string {
  const payee =
    output.type === 'nulldata'
      ? `no one: data (OP_RETURN ${output.script.slice(2, 22)}${output.script.length > 22 ? '...' : ''})`
      : output.type === 'anyone'
        ? 'anyone (OP_TRUE)'
        : output.type === 'p2pk'
          ? `a public key (P2PK), whose address is ${output.address}`
          : output.address
            ? `${output.address} (${output.type.toUpperCase()})`
            : `script ${output.script.length > 40 ? `${output.script.slice(0, 37)}...` : output.script}`;
  return `${formatBtc(output.value).padStart(18)}  to ${payee}`;
}

/** Subsidy plus fees, as far as the block alone shows them. */
export function rewardLines(block: BlockExplanation): string[] {
  const { coinbaseValue, subsidy, claimedFees } = block.reward;
  if (subsidy === null || claimedFees === null) {
    return [
      `${INDENT}reward: the coinbase claims ${formatBtc(coinbaseValue)}, the subsidy plus fees. Without the height the`,
      `${INDENT}subsidy is unknown; and the fees are the inputs' values less the outputs, and the inputs' values`,
      `${INDENT}are in the earlier transactions they spend, not in this block.`,
    ];
  }
  return [
    `${INDENT}reward: ${formatBtc(coinbaseValue)} claimed = subsidy ${formatBtc(subsidy)} at height ${formatInteger(block.height ?? 0)} + fees ${formatBtc(claimedFees)}`,
    `${INDENT}(the fees as claimed: what each transaction paid is its inputs' values less its outputs, and the`,
    `${INDENT}inputs' values are in the earlier transactions they spend, not in this block)`,
  ];
}

const column = (label: string) => `${INDENT}${label.padEnd(31)}`;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** 32 bytes of hex as eight 8-digit words, as SHA-256's state is written. */
function words(hex: string): string {
  return hex.match(/.{8}/g)!.join(' ');
}

/** Where a retarget height's bits come from: Core's CalculateNextWorkRequired, figure by figure. */
function retargetLines(r: RetargetFacts): string[] {
  const clamped =
    r.clamp === 'none'
      ? `within [${r.lowest}, ${r.highest}]: kept`
      : `${r.clamp === 'low' ? 'below' : 'above'} [${r.lowest}, ${r.highest}]: clamped to ${r.clampedTimespan} s`;
  const ratio = r.clampedTimespan / r.targetTimespan;
  return [
    '',
    `${INDENT}${paint(`Height ${r.height} is a retarget height`, 'bold')} (a multiple of the interval, ${r.interval}): these bits are computed, not chosen.`,
    `${INDENT}old bits 0x${r.oldBits}, target ${r.oldTarget.toString(16).padStart(64, '0')}`,
    `${INDENT}timespan = time of block ${r.lastHeight} - time of block ${r.firstHeight} = ${r.lastTime} - ${r.firstTime} = ${r.actualTimespan} s`,
    `${INDENT}  (${r.interval - 1} gaps, not ${r.interval}: Bitcoin's off-by-one, kept by every node since)`,
    `${INDENT}aimed for: ${r.interval} blocks x ${r.spacing} s = ${r.targetTimespan} s; ${r.actualTimespan} s is ${clamped}`,
    `${INDENT}new target = old target x ${r.clampedTimespan} / ${r.targetTimespan} (x ${ratio.toFixed(3)})${r.capped ? ', above the limit: capped' : ''}`,
    `${INDENT}           = ${r.scaledTarget.toString(16).padStart(64, '0')}`,
    `${INDENT}in compact form (rounded down): bits 0x${r.newBits}, target ${r.newTarget.toString(16).padStart(64, '0')}`,
  ];
}
