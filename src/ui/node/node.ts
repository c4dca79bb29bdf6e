// `powlab node`'s page: the block tree of the last heights as SVG (the active chain down the left, stale
// branches beside it, each block in its finder's colour) and the peers, from /api/events.
import './node.css';
import type { Finder, NodeSnapshot, PageBlock, PagePeer } from '../../p2p/api.js';
import { seriesColour } from '../chart.js';
import { byId, el, say } from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 22;
const LANE = 46;
/** Room on the left for the height and on the right of the active lane for its short hash. */
const LABEL = 44;
const HASH_ROOM = 70;
const BLOCK = { width: 30, height: 14 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/** A finder's colour: this node the accent series, each peer a series of its own, blocks from before the run muted. */
function colourOf(finder: Finder, finders: Finder[]): string {
  if (finder === 'self') return seriesColour('total');
  if (finder === 'before') return getComputedStyle(document.documentElement).getPropertyValue('--muted').trim();
  return seriesColour(finders.filter((f) => f !== 'self' && f !== 'before').indexOf(finder));
}

function finderName(finder: Finder): string {
  return finder === 'self' ? 'this node' : finder === 'before' ? 'before this run' : finder;
}

/**
 * Each block's lane: the active chain in lane 0; a stale block in its parent's lane when that is a
 * stale lane free at its height, else in the first lane free there, so each branch keeps to a column.
 */
function lanes(blocks: PageBlock[]): Map<string, number> {
  const lane = new Map<string, number>();
  const taken = new Map<number, Set<number>>();
  const take = (block: PageBlock, at: number) => {
    lane.set(block.hash, at);
    if (!taken.has(block.height)) taken.set(block.height, new Set());
    taken.get(block.height)!.add(at);
  };
  for (const block of blocks) if (block.active) take(block, 0);
  for (const block of blocks) {
    if (block.active) continue;
    const used = taken.get(block.height) ?? new Set<number>();
    const parentLane = lane.get(block.prev);
    if (parentLane !== undefined && parentLane > 0 && !used.has(parentLane)) take(block, parentLane);
    else {
      let at = 1;
      while (used.has(at)) at++;
      take(block, at);
    }
  }
  return lane;
}

function drawTree(snapshot: NodeSnapshot): SVGSVGElement {
  const { blocks, finders } = snapshot;
  const lane = lanes(blocks);
  const byHash = new Map(blocks.map((block) => [block.hash, block]));
  const top = snapshot.tip.height;
  const laneCount = Math.max(1, ...lane.values()) + 1;
  const width = LABEL + HASH_ROOM + laneCount * LANE;
  const rows = blocks.length ? top - blocks[0].height + 1 : 1;
  const centre = (block: PageBlock) => ({
    x: LABEL + lane.get(block.hash)! * LANE + (lane.get(block.hash)! > 0 ? HASH_ROOM : 0) + BLOCK.width / 2,
    y: (top - block.height) * ROW + ROW / 2,
  });
  const edges = blocks.flatMap((block) => {
    const parent = byHash.get(block.prev);
    if (!parent) return [];
    const [from, to] = [centre(parent), centre(block)];
    return [svg('line', { x1: from.x, y1: from.y, x2: to.x, y2: to.y })];
  });
  const heights = [...new Set(blocks.map((block) => block.height))].map((height) =>
    svg('text', { x: 0, y: (top - height) * ROW + ROW / 2 + 4 }, String(height)),
  );
  const nodes = blocks.flatMap((block) => {
    const { x, y } = centre(block);
    const rect = svg(
      'rect',
      {
        x: x - BLOCK.width / 2,
        y: y - BLOCK.height / 2,
        width: BLOCK.width,
        height: BLOCK.height,
        rx: 3,
        fill: colourOf(block.from, finders),
        class: block.active ? 'active' : 'stale',
        'data-from': block.from,
        'data-hash': block.hash,
      },
      svg(
        'title',
        {},
        `${block.height} ${block.hash}\nfound by ${finderName(block.from)}${block.active ? '' : '\nstale'}`,
      ),
    );
    return block.active
      ? [rect, svg('text', { x: x + BLOCK.width / 2 + 6, y: y + 4 }, block.hash.slice(0, 8))]
      : [rect];
  });
  const drawing = svg(
    'svg',
    { viewBox: `0 0 ${width} ${rows * ROW}`, role: 'img', 'aria-label': 'block tree' },
    ...edges,
    ...heights,
    ...nodes,
  );
  // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
  drawing.style.maxWidth = `${width * 1.4}px`;
  return drawing;
}

function peerItem(peer: PagePeer): HTMLLIElement {
  const since = new Date(peer.since).toLocaleTimeString();
  return el(
    'li',
    { 'data-address': peer.address },
    el('span', { class: 'mono' }, peer.address),
    el('br'),
    el(
      'span',
      { class: 'small muted' },
      `${peer.direction}, connected since ${since}, ${peer.blocksReceived} block(s) received`,
    ),
  );
}

function swatch(colour: string): HTMLSpanElement {
  const node = el('span', { class: 'swatch' });
  node.style.background = colour;
  return node;
}

function render(snapshot: NodeSnapshot): void {
  say('network', snapshot.network);
  say('tip', `tip ${snapshot.tip.height} ${snapshot.tip.hash.slice(0, 16)}…`);
  const peers = byId('peers');
  peers.replaceChildren(...snapshot.peers.map(peerItem));
  if (!snapshot.peers.length) peers.append(el('li', { class: 'muted' }, 'no peers connected'));
  const shown = [...new Set<Finder>(['self', ...snapshot.finders, ...snapshot.blocks.map((block) => block.from)])];
  byId('finders').replaceChildren(
    ...shown.map((finder) =>
      el('li', { 'data-finder': finder }, swatch(colourOf(finder, snapshot.finders)), finderName(finder)),
    ),
  );
  byId('tree').replaceChildren(drawTree(snapshot));
}

const events = new EventSource('/api/events');
const connection = byId('connection');
const show = (text: string, state: string) => {
  connection.textContent = text;
  connection.className = `pill ${state}`;
};
events.addEventListener('open', () => show('live', 'live'));
events.addEventListener('snapshot', (event) => {
  const snapshot = JSON.parse((event as MessageEvent<string>).data) as NodeSnapshot;
  render(snapshot);
  if (snapshot.ended) {
    show('node stopped', 'ended');
    events.close();
  }
});
events.addEventListener('error', () => {
  if (!connection.classList.contains('ended')) show('not connected: waiting for powlab node', 'lost');
});
