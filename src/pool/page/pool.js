// The pool page: the snapshot from /api/events, drawn with textContent only, so nothing a miner
// sends (its worker name) can become markup. Numbers are worded by /format/numbers.js, the
// terminal's own module (src/format/numbers.ts), which the server serves built.
import {
  formatBtc,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatInteger,
} from './format/numbers.js';

const $ = (id) => document.getElementById(id);
/** Hashes one unit of difficulty stands for on average. */
const HASHES_PER_DIFFICULTY = 2 ** 32;

/** A difficulty with what it means in hashes: 0.001953 (8.39M hashes). */
const difficulty = (value) =>
  value === null || value === undefined
    ? 'not set yet'
    : `${formatDifficulty(value)} (${formatCount(value * HASHES_PER_DIFFICULTY)} hashes)`;
const btc = (satoshis) => (satoshis === null || satoshis === undefined ? '–' : formatBtc(Number(satoshis)));
const percent = (fraction) => `${Math.round(fraction * 100)}%`;

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = String(cell);
    tr.append(td);
  }
  return tr;
}

/** The time a hashrate takes, on average, to do `hashes`; nothing when no hashrate is known. */
function timeAt(hashes, hashrate) {
  return hashrate > 0 ? `about ${formatDuration(hashes / hashrate)} at ${formatHashrate(hashrate)}` : '';
}

function poolFacts(pool, pplns) {
  const hashrate = pool.reportedHashrate || pool.inferredHashrate;
  const blockHashes = pool.hashesPerBlock;
  const share = pool.shareDifficulty;
  return [
    ['height', pool.height ?? '–'],
    [
      'block difficulty',
      blockHashes === null
        ? '–'
        : `${difficulty(pool.networkDifficulty)}${hashrate > 0 ? `: a block ${timeAt(blockHashes, hashrate)}` : ''}`,
    ],
    [
      'share difficulty',
      share === null
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

function minerRow(m) {
  const hashrate = m.reportedHashrate ?? m.inferredHashrate;
  const spread = m.inferenceShares ? ` ±${Math.round(100 / Math.sqrt(m.inferenceShares))}%` : '';
  const rejects = Object.entries(m.rejects).map(([why, n]) => `${why} ×${n}`);
  return row([
    m.worker,
    m.difficulty === null
      ? 'not set yet'
      : `${formatDifficulty(m.difficulty)}${hashrate > 0 ? `: a share ${timeAt(m.difficulty * HASHES_PER_DIFFICULTY, hashrate)}` : ''}`,
    m.accepted,
    `${m.rejected}${rejects.length ? ` (${rejects.join(', ')})` : ''}`,
    m.bestShareDifficulty === null ? '–' : formatDifficulty(m.bestShareDifficulty),
    m.inferenceShares ? `${formatHashrate(m.inferredHashrate)}${spread}` : 'no share yet',
    m.reportedHashrate === null ? '–' : formatHashrate(m.reportedHashrate),
    m.blocksFound,
    btc(m.earned),
  ]);
}

function windowText(pplns) {
  if (pplns.window === null) return 'No block template yet.';
  const filled =
    pplns.windowFilled !== null && pplns.windowFilled < 1
      ? ` The window is ${Math.floor(pplns.windowFilled * 100)}% full: until it fills, a block is split over every share so far.`
      : '';
  return `N = ${pplns.windowFactor} × block difficulty = ${formatDifficulty(pplns.window)} of share difficulty.${filled} If a block were found now:`;
}

/** A block hash, its leading zeros and the rest, shortened to fit a phone: the whole of it in the tooltip. */
function shortHash(hash) {
  return `${hash.slice(0, 12)}…${hash.slice(-6)}`;
}

/** Lists are cut to the rows with the most work, whatever the miners send: say so when they are. */
function shownOf(shown, total, what) {
  return shown < total ? `The ${shown} with the most work, of ${formatInteger(total)} ${what}.` : '';
}

function draw(snapshot) {
  const { pool, pplns, miners, blocks } = snapshot;
  $('where').textContent = `${pool.stratum} (browsers: ${pool.websocket}), mining on ${pool.chain}`;
  $('pool').replaceChildren(
    ...poolFacts(pool, pplns).flatMap(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      return [dt, dd];
    }),
  );
  $('miners').replaceChildren(...miners.map(minerRow));
  $('miners-shown').textContent = shownOf(miners.length, pool.workers, 'workers in this run');
  $('formula').textContent = pplns.formula;
  $('window').textContent = windowText(pplns);
  $('split').replaceChildren(
    ...pplns.splitIfFoundNow.map((p) => row([p.miner, formatDifficulty(p.difficulty), btc(p.amount)])),
  );
  $('split-shown').textContent = shownOf(pplns.splitIfFoundNow.length, pplns.splitMiners, 'miners in the window');
  $('blocks').replaceChildren(
    ...blocks.map((b) => {
      const tr = row([
        b.height,
        shortHash(b.hash),
        b.finder,
        b.accepted ? 'yes' : `no: ${b.reason ?? ''}`,
        b.split.map((p) => `${p.miner} ${btc(p.amount)}`).join(', ') +
          (b.splitMiners > b.split.length ? ` and ${formatInteger(b.splitMiners - b.split.length)} more` : ''),
      ]);
      tr.children[1].title = b.hash;
      tr.children[1].className = 'hash';
      return tr;
    }),
  );
}

const events = new EventSource('/api/events');
events.addEventListener('status', (event) => draw(JSON.parse(event.data)));
events.addEventListener('end', (event) => {
  draw(JSON.parse(event.data));
  $('where').textContent += ' (the pool has stopped)';
});
