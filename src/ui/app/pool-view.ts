/**
 * The pool's board, shown when a pool serves the page: the pool, its miners (a browser miner named
 * as such), the payout split and the blocks, from the snapshots /api/events streams. Drawn with
 * textContent only, so nothing a miner sends (its worker name) can become markup.
 */
import { HASHES_PER_DIFFICULTY } from '../../core/target.js';
import {
  formatBtc,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatInteger,
} from '../../format/numbers.js';
import { $, row, say } from './dom.js';
import type { PoolMinerRow, PoolSnapshot } from '../../pool/api.js';

/** A difficulty with what it means in hashes: 0.001953 (8.39M hashes). */
const difficulty = (value: number | null) =>
  value === null ? 'not set yet' : `${formatDifficulty(value)} (${formatCount(value * HASHES_PER_DIFFICULTY)} hashes)`;
const btc = (satoshis: string | null) => (satoshis === null ? '–' : formatBtc(Number(satoshis)));
const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** The time a hashrate takes, on average, to do `hashes`; nothing when no hashrate is known. */
function timeAt(hashes: number, hashrate: number): string {
  return hashrate > 0 ? `about ${formatDuration(hashes / hashrate)} at ${formatHashrate(hashrate)}` : '';
}

function poolFacts({ pool, pplns }: PoolSnapshot): [string, string | number][] {
  const hashrate = pool.reportedHashrate || pool.inferredHashrate;
  const share = pool.shareDifficulty;
  return [
    ['height', pool.height ?? '–'],
    [
      'block difficulty',
      pool.hashesPerBlock === null
        ? '–'
        : `${difficulty(pool.networkDifficulty)}${hashrate > 0 ? `: a block ${timeAt(pool.hashesPerBlock, hashrate)}` : ''}`,
    ],
    [
      'share difficulty',
      share === null || pool.networkDifficulty === null
        ? '–'
        : `${formatDifficulty(share.start)} to start; vardiff keeps each miner between ${formatDifficulty(share.min)} and ` +
          `${formatDifficulty(share.max)}, aiming at a share every ${pool.shareSeconds} s (a block is at least ` +
          `${formatInteger(pool.networkDifficulty / share.max)} shares)`,
    ],
    ['connections', pool.connections],
    ['hashrate inferred from shares', formatHashrate(pool.inferredHashrate)],
    ['hashrate the miners report', formatHashrate(pool.reportedHashrate)],
    ['blocks found', pool.blocks],
    [
      'luck (Σ block difficulty / Σ share difficulty)',
      pool.luck === null ? 'no block yet' : `${percent(pool.luck)} (above 100%: fewer hashes a block than expected)`,
    ],
    [
      'this round',
      pool.roundEffort === null ? '–' : `${percent(pool.roundEffort)} of a block's expected work since the last block`,
    ],
    ['reward', btc(pplns.reward)],
  ];
}

function minerRow(miner: PoolMinerRow): HTMLTableRowElement {
  const hashrate = miner.reportedHashrate ?? miner.inferredHashrate;
  const spread = miner.inferenceShares ? ` ±${Math.round(100 / Math.sqrt(miner.inferenceShares))}%` : '';
  const rejects = Object.entries(miner.rejects).map(([why, n]) => `${why} ×${n}`);
  const tr = row([
    miner.worker,
    miner.browser ? 'browser' : 'Stratum',
    miner.difficulty === null
      ? 'not set yet'
      : `${formatDifficulty(miner.difficulty)}${hashrate > 0 ? `: a share ${timeAt(miner.difficulty * HASHES_PER_DIFFICULTY, hashrate)}` : ''}`,
    miner.accepted,
    `${miner.rejected}${rejects.length ? ` (${rejects.join(', ')})` : ''}`,
    miner.bestShareDifficulty === null ? '–' : formatDifficulty(miner.bestShareDifficulty),
    miner.inferenceShares ? `${formatHashrate(miner.inferredHashrate)}${spread}` : 'no share yet',
    miner.reportedHashrate === null ? '–' : formatHashrate(miner.reportedHashrate),
    miner.blocksFound,
    btc(miner.earned),
  ]);
  tr.dataset.worker = miner.worker;
  if (miner.browser) tr.dataset.browser = '';
  return tr;
}

function windowText({ pplns }: PoolSnapshot): string {
  if (pplns.window === null) return 'No block template yet.';
  const filled =
    pplns.windowFilled !== null && pplns.windowFilled < 1
      ? ` The window is ${Math.floor(pplns.windowFilled * 100)}% full: until it fills, a block is split over every share so far.`
      : '';
  return `N = ${pplns.windowFactor} × block difficulty = ${formatDifficulty(pplns.window)} of share difficulty.${filled} If a block were found now:`;
}

/** Lists are cut to the rows with the most work, whatever the miners send: say so when they are. */
function shownOf(shown: number, total: number, what: string): string {
  return shown < total ? `The ${shown} with the most work, of ${formatInteger(total)} ${what}.` : '';
}

export function drawBoard(snapshot: PoolSnapshot, ended: boolean): void {
  const { pool, pplns, miners, blocks } = snapshot;
  say(
    'pool-where',
    `${pool.stratum} (browsers: ${pool.websocket}), mining on ${pool.chain}${ended ? ' (the pool has stopped)' : ''}`,
  );
  $('pool-facts').replaceChildren(
    ...poolFacts(snapshot).flatMap(([name, value]) => {
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent = String(value);
      return [term, detail];
    }),
  );
  $('pool-miners').replaceChildren(...miners.map(minerRow));
  say('pool-miners-shown', shownOf(miners.length, pool.workers, 'workers in this run'));
  say('pool-formula', pplns.formula);
  say('pool-window', windowText(snapshot));
  $('pool-split').replaceChildren(
    ...pplns.splitIfFoundNow.map((part) => row([part.miner, formatDifficulty(part.difficulty), btc(part.amount)])),
  );
  say('pool-split-shown', shownOf(pplns.splitIfFoundNow.length, pplns.splitMiners, 'miners in the window'));
  $('pool-blocks').replaceChildren(
    ...blocks.map((block) => {
      const tr = row([
        block.height,
        // Shortened to fit a phone: the whole hash in the tooltip.
        `${block.hash.slice(0, 12)}…${block.hash.slice(-6)}`,
        block.finder,
        block.accepted ? 'yes' : `no: ${block.reason ?? ''}`,
        block.split.map((part) => `${part.miner} ${btc(part.amount)}`).join(', ') +
          (block.splitMiners > block.split.length
            ? ` and ${formatInteger(block.splitMiners - block.split.length)} more`
            : ''),
      ]);
      (tr.children[1] as HTMLElement).title = block.hash;
      tr.children[1].className = 'hash';
      return tr;
    }),
  );
}

/** Follow the pool's snapshots; `each` is told of every one. */
export function followPool(each: (snapshot: PoolSnapshot) => void): void {
  const events = new EventSource('api/events');
  events.addEventListener('status', (event: MessageEvent<string>) => {
    const snapshot = JSON.parse(event.data) as PoolSnapshot;
    drawBoard(snapshot, false);
    each(snapshot);
  });
  events.addEventListener('end', (event: MessageEvent<string>) => {
    const snapshot = JSON.parse(event.data) as PoolSnapshot;
    drawBoard(snapshot, true);
    each(snapshot);
    events.close();
  });
}
