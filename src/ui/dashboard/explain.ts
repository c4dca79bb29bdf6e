// A found header taken apart in the dashboard's dialog: its fields and bytes, the two SHA-256 passes,
// the target its bits encode and the odds, as /api/explain gives them.
import type { Find } from '../../dashboard/api.js';
import type { FieldName, HeaderExplanation, TimeAtHashrate } from '../../explain/header.js';
import { formatChance, formatCount, formatDifficulty, formatDuration, formatHashrate } from '../../format/numbers.js';
import { byId, el } from '../dom.js';

/** /api/explain's answer: the header's facts, and the times at the run's hashrate once there is one. */
type Explanation = HeaderExplanation & { atHashrate: TimeAtHashrate | null };

const FIELD_NOTES: Record<FieldName, string> = {
  version:
    'a 32-bit number, stored little-endian like every number in the header (x86 order, as Satoshi’s code wrote it)',
  prevHash: 'the hash of the block before, in internal order: the reverse of how explorers print it',
  merkleRoot:
    'the root of the tree of transaction ids; the coinbase carries the extranonce, so a new extranonce makes a new root',
  time: 'seconds since 1970, little-endian',
  bits: 'the target in compact form: one exponent byte and three mantissa bytes (stored little-endian)',
  nonce: 'the 32 bits the miner turns: 2^32 tries per header',
};

/** A block, a share, or a share that is also a block, with its height where known. */
export function findName(find: Find): string {
  return `${find.kind}${find.kind === 'share' && find.block ? ' and block' : ''}${find.height !== undefined ? ` ${find.height}` : ''}`;
}

/** Opens the dialog on one find's header; only the latest click's answer is shown, however the replies arrive. */
export class HeaderDialog {
  private requests = 0;
  private readonly dialog = byId<HTMLDialogElement>('explain');

  constructor() {
    byId('explain-close').addEventListener('click', () => this.dialog.close());
  }

  async open(find: Find): Promise<void> {
    const request = ++this.requests;
    const body = byId('explain-body');
    byId('explain-title').textContent = `${findName(find)}: its header, step by step`;
    body.replaceChildren(el('p', { class: 'muted' }, 'loading…'));
    if (!this.dialog.open) this.dialog.showModal();
    let shown: HTMLElement[];
    try {
      const response = await fetch(`/api/explain?header=${find.header}`);
      const answer = (await response.json()) as Explanation | { error: string };
      shown = 'error' in answer ? [el('p', {}, answer.error)] : explanation(answer);
    } catch (error) {
      shown = [el('p', {}, `powlab did not answer (${(error as Error).message}): is the run still going?`)];
    }
    if (request === this.requests) body.replaceChildren(...shown);
  }
}

function fieldsTable(facts: Explanation): HTMLElement {
  const value = (field: Explanation['fields'][number]) =>
    field.name === 'time' && typeof field.value === 'number'
      ? `${field.value} (${new Date(field.value * 1000).toISOString().replace('.000Z', 'Z')})`
      : String(field.value);
  return el(
    'table',
    { class: 'fields' },
    el('thead', {}, el('tr', {}, ...['field', 'bytes', 'as stored', 'value', 'why'].map((name) => el('th', {}, name)))),
    el(
      'tbody',
      {},
      ...facts.fields.map((field) =>
        el(
          'tr',
          {},
          el('td', { class: `f-${field.name}` }, field.name),
          el('td', {}, `${field.offset}–${field.offset + field.length - 1}`),
          el('td', { class: 'mono' }, field.hex),
          el('td', { class: 'mono' }, value(field)),
          el('td', {}, FIELD_NOTES[field.name]),
        ),
      ),
    ),
  );
}

function explanation(facts: Explanation): HTMLElement[] {
  const dump = el(
    'div',
    { class: 'hexdump' },
    ...facts.fields.map((field) => el('span', { class: `f-${field.name}`, title: field.name }, field.hex)),
  );
  const step = (name: string, value: string) => el('div', {}, el('div', { class: 'step-name' }, name), value);
  const meets = facts.meetsTarget;
  const odds = facts.atHashrate;
  return [
    el('h3', {}, 'The 80 bytes'),
    dump,
    // A phone scrolls the table inside its box, not the page.
    el('div', { class: 'scroll-x' }, fieldsTable(facts)),
    el('h3', {}, 'SHA-256, twice'),
    el(
      'div',
      { class: 'steps' },
      step('first 64 bytes (never change while the nonce turns): compressed once into the midstate', facts.chunks[0]),
      step('midstate', facts.midstate),
      step(
        'last 16 bytes, with the nonce, padded to a second chunk: compressed from the midstate for each nonce',
        facts.chunks[1],
      ),
      step('first SHA-256', facts.firstHash),
      step('its SHA-256 (internal order)', facts.hashInternal),
      step('reversed: the block hash as explorers show it', facts.hash),
    ),
    el('h3', {}, 'Against the target'),
    el(
      'p',
      {},
      `bits ${facts.bits.hex}: exponent 0x${facts.bits.exponent.toString(16)}, mantissa 0x${facts.bits.mantissa.toString(16).padStart(6, '0')}, target = mantissa × 256^(exponent − 3):`,
    ),
    el('div', { class: 'steps' }, step('target', facts.target), step('hash', facts.hash)),
    el(
      'p',
      {},
      el(
        'span',
        { class: meets ? 'verdict-yes' : 'verdict-no' },
        meets ? 'hash ≤ target: a valid proof of work. ' : 'hash > target: not a block at these bits. ',
      ),
      `The hash starts with ${facts.leadingZeroBits} zero bits; every hash under the target has at least ${facts.targetLeadingZeroBits}. Difficulty ${formatDifficulty(facts.difficulty)}.`,
    ),
    el('h3', {}, 'The odds'),
    el(
      'p',
      {},
      `One hash wins with chance ${facts.probabilityPerHash.toExponential(3)}, so a block takes ${formatCount(facts.expectedHashes)} hashes on average` +
        (odds
          ? `: ${formatDuration(odds.expectedSeconds)} at this run's ${formatHashrate(odds.hashrate)} (half of all blocks come within ${formatDuration(odds.medianSeconds)}).`
          : '.') +
        ` One header's 2^32 nonces last ${odds ? formatDuration(odds.nonceSpaceSeconds) : 'a while'}; the chance they all fail is ${formatChance(facts.probabilityNoncesRunOut)}, and then the extranonce changes the merkle root for 2^32 more.`,
    ),
  ];
}
