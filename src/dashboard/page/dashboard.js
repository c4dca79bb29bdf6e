// The powlab dashboard page: live figures from /api/events (Server-Sent Events), a hashrate chart
// and nonce maps drawn by hand on canvas, and a header explained from /api/explain. No libraries.

import { addSample, furthestNonce, highestRate, workerName } from './figures.js';
import {
  formatBtc,
  formatChance,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
} from './format/numbers.js';

const NONCE_SPACE = 2 ** 32;
const BANNER_MS = 10_000;
const WORKER_COLOURS = ['#ff7b72', '#7ee787', '#d2a8ff', '#ffa657', '#79c0ff', '#f2cc60', '#ff9bce', '#a5d6ff'];
const TOTAL_COLOUR = '#39c5cf';

const $ = (selector) => document.querySelector(selector);

/** An element with attributes and children (strings become text: nothing is parsed as HTML). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// ---- state ------------------------------------------------------------------------------------

let run = null;
let history = [];
let latest = null;
let bannerTimer = null;

function onStatus(status) {
  if (status.run !== run) {
    run = status.run;
    history = [];
  }
  if (status.history) history = status.history;
  else if (status.sample) addSample(history, status.sample);
  latest = status;
  render(status);
}

function connect() {
  const events = new EventSource('/api/events');
  const connection = $('#connection');
  events.addEventListener('open', () => {
    connection.textContent = 'live';
    connection.className = 'pill live';
  });
  events.addEventListener('status', (event) => onStatus(JSON.parse(event.data)));
  events.addEventListener('found', (event) => onFound(JSON.parse(event.data)));
  events.addEventListener('end', (event) => {
    onStatus(JSON.parse(event.data));
    connection.textContent = 'run ended: start powlab mine --dashboard again and this page follows';
    connection.className = 'pill ended';
  });
  events.addEventListener('error', () => {
    // EventSource keeps retrying on its own; say so unless the run ended cleanly.
    if (connection.classList.contains('ended')) return;
    connection.textContent = 'not connected: waiting for powlab mine --dashboard';
    connection.className = 'pill lost';
  });
}

// ---- rendering --------------------------------------------------------------------------------

function render(status) {
  document.body.dataset.seq = String(status.seq);
  const finds = status.source.finds;
  for (const node of document.querySelectorAll('.find-name')) node.textContent = finds;
  for (const node of document.querySelectorAll('.finds-name')) node.textContent = `${finds}s`;
  for (const node of document.querySelectorAll('.finds-title'))
    node.textContent = `${finds[0].toUpperCase()}${finds.slice(1)}s`;
  $('#source').textContent = status.source.name;
  $('#label').textContent = status.label;

  setFigure('#hashrate', status.hashrate, formatHashrate(status.hashrate));
  $('#mean').textContent = `mean ${formatHashrate(status.meanHashrate)} since the start`;
  setFigure('#hashes', status.hashes, formatCount(status.hashes));
  $('#elapsed').textContent = `in ${formatDuration(status.elapsedSeconds)}`;
  const found = finds === 'block' ? status.blocksFound : status.sharesFound;
  setFigure('#found-count', found, String(found));
  $('#engine').textContent =
    `${status.threads} worker${status.threads === 1 ? '' : 's'} × ${status.backend}${status.throttle < 100 ? ` at ${status.throttle}%` : ''}${status.workersReplaced ? `, ${status.workersReplaced} replaced after dying` : ''}`;
  renderBest('#best-session', status.best.session);
  renderBest('#best-all', status.best.allTime);

  const { hashes, expectedHashes, difficulty, extranonce } = status.work;
  const fraction = expectedHashes > 0 ? hashes / expectedHashes : 0;
  $('#progress-bar').style.width = `${Math.min(100, fraction * 50)}%`;
  $('#progress-text').textContent =
    expectedHashes > 0
      ? `${formatCount(hashes)} hashes tried of ${formatCount(expectedHashes)} expected (${Math.round(fraction * 100)}%) at difficulty ${formatDifficulty(difficulty)}, header ${extranonce + 1} of this ${finds}. Luck runs both ways: past 100% is common, and the odds of the next hash never change.`
      : 'waiting for work';
  $('#odds').textContent =
    status.next.expectedSeconds === null
      ? ''
      : `At ${formatHashrate(status.hashrate)}, the next ${finds} takes ${formatDuration(status.next.expectedSeconds)} on average (difficulty × 2³² / hashrate); the chance of one within the next hour is ${formatChance(status.next.chanceWithinHour)}.`;

  drawChart();
  drawNonceMaps(status.workers);
  renderScoreboard(status.scoreboard);
  // A pool's share that is also a block is in both lists: with a pool, every find is a share.
  renderFinds(finds === 'block' ? status.blocks : status.shares);
}

function setFigure(selector, value, text) {
  const node = $(selector);
  node.dataset.value = String(value);
  node.textContent = text;
}

function renderBest(selector, best) {
  $(selector).textContent = best ? `${best.zeros} zero bits` : '–';
  $(`${selector}-detail`).textContent = best
    ? `difficulty ${formatDifficulty(best.difficulty)}: ${best.hash.slice(0, 24)}…`
    : '';
}

function renderScoreboard(scores) {
  const names = { record: 'a new best', block: 'a block', share: 'a share', earlier: 'an earlier run' };
  $('#scoreboard').replaceChildren(
    ...scores.map((score, i) =>
      el(
        'tr',
        { class: `kind-${score.kind}` },
        el('td', {}, String(i + 1)),
        el('td', {}, String(score.zeros)),
        el('td', {}, formatDifficulty(score.difficulty)),
        el('td', {}, names[score.kind]),
        el('td', { class: 'hash' }, score.hash),
      ),
    ),
  );
}

let shownFinds = '';
/** One coinbase output as the terminal words it: 50.00000000 BTC to bcrt1q… */
function payoutWords(output) {
  const to = output.address
    ? `${output.address}${output.type === 'p2pk' ? ' (a bare public key)' : ''}`
    : output.type === 'nulldata'
      ? 'no one (data)'
      : output.type === 'anyone'
        ? 'anyone (OP_TRUE)'
        : 'a script';
  return `coinbase pays ${formatBtc(output.value)} to ${to}`;
}

function renderFinds(finds) {
  const key = finds.map((find) => find.hash).join();
  if (key === shownFinds) return;
  const fresh = new Set(finds.map((find) => find.hash));
  for (const hash of shownFinds.split(',')) fresh.delete(hash);
  shownFinds = key;
  $('#no-blocks').hidden = finds.length > 0;
  $('#blocks').replaceChildren(
    ...finds.map((find) =>
      el(
        'li',
        { class: fresh.has(find.hash) ? 'fresh' : '' },
        el(
          'button',
          { onclick: () => explain(find), title: 'take this header apart' },
          el(
            'div',
            {},
            `${findName(find)}: ${find.zeros} zero bits, nonce ${find.nonce}, after ${formatCount(find.hashes)} hashes in ${formatDuration(find.seconds)}${find.verdict && find.verdict !== 'accepted' ? ` (${find.verdict}: ${find.reason})` : ''}`,
          ),
          el('div', { class: 'hash' }, find.hash),
          ...(find.payout ?? []).map((output) => el('div', { class: 'payout' }, payoutWords(output))),
        ),
      ),
    ),
  );
}

function findName(find) {
  return `${find.kind}${find.kind === 'share' && find.block ? ' and block' : ''}${find.height !== undefined ? ` ${find.height}` : ''}`;
}

/** A block that counts: not one the node or pool turned down (its verdict shows in the list). */
function isCountedBlock(find) {
  return find.block && (find.verdict === undefined || find.verdict === 'accepted');
}

function onFound(find) {
  if (!isCountedBlock(find)) return;
  const banner = $('#banner');
  $('#banner-detail').textContent =
    `${find.height !== undefined ? `height ${find.height} · ` : ''}${find.zeros} leading zero bits · ${find.hash}`;
  banner.hidden = false;
  banner.onclick = () => {
    banner.hidden = true;
    explain(find);
  };
  // Restart the pulse for a block that follows another quickly.
  banner.style.animation = 'none';
  void banner.offsetWidth;
  banner.style.animation = '';
  clearTimeout(bannerTimer);
  bannerTimer = setTimeout(() => (banner.hidden = true), BANNER_MS);
}

// ---- the hashrate chart -----------------------------------------------------------------------

/** A canvas sized to its box in device pixels, with a context that draws in CSS pixels. */
function prepare(canvas, cssHeight) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = cssHeight ?? canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

/** The smallest 1, 2 or 5 × 10^k at or above `value`. */
function niceCeiling(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= value);
}

function drawChart() {
  const { ctx, width, height } = prepare($('#chart'));
  const left = 78;
  const bottom = height - 22;
  const top = 10;
  const right = width - 10;
  const points = history;
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = '#8b98a5';
  if (points.length < 2) {
    ctx.fillText('the chart starts with the second sample…', left, top + 20);
    renderLegend(latest ? latest.workers.length : 0);
    return;
  }
  const yMax = niceCeiling(highestRate(points) * 1.1);
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const x = (t) => left + ((t - t0) / Math.max(1, t1 - t0)) * (right - left);
  const y = (rate) => bottom - (rate / yMax) * (bottom - top);

  ctx.strokeStyle = '#2a3440';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const rate = (yMax * i) / 4;
    ctx.beginPath();
    ctx.moveTo(left, y(rate));
    ctx.lineTo(right, y(rate));
    ctx.stroke();
    ctx.fillText(formatHashrate(rate), left - 8, y(rate));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    ctx.fillText(i === 4 ? 'now' : `${Math.round(t - t1)} s`, x(t), bottom + 6);
  }

  const line = (values, colour, lineWidth) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    points.forEach((point, i) =>
      i === 0 ? ctx.moveTo(x(point.t), y(values(point))) : ctx.lineTo(x(point.t), y(values(point))),
    );
    ctx.stroke();
  };
  const workers = points[points.length - 1].workers.length;
  for (let w = 0; w < workers; w++)
    line((point) => point.workers[w] ?? 0, WORKER_COLOURS[w % WORKER_COLOURS.length], 1.5);
  line((point) => point.hashrate, TOTAL_COLOUR, 3);
  renderLegend(workers);
}

let legendFor = -1;
function renderLegend(workers) {
  if (workers === legendFor) return;
  legendFor = workers;
  const item = (colour, text) => {
    const swatch = el('span', { class: 'swatch' });
    swatch.style.background = colour; // through the CSSOM: the page's CSP allows no inline style attributes
    return el('span', {}, swatch, text);
  };
  $('#legend').replaceChildren(
    item(TOTAL_COLOUR, 'total'),
    ...Array.from({ length: workers }, (_, w) => item(WORKER_COLOURS[w % WORKER_COLOURS.length], workerName(w))),
  );
}

// ---- the nonce maps ---------------------------------------------------------------------------

function drawNonceMaps(workers) {
  const reach = furthestNonce(workers);
  // Zoom to the smallest power of two that holds every range: the whole space dwarfs a few seconds' work.
  const zoomEnd = 2 ** Math.max(16, Math.ceil(Math.log2(Math.max(1, reach))));
  drawNonceMap($('#nonce-full'), workers, NONCE_SPACE);
  $('#zoom-caption').textContent =
    zoomEnd < NONCE_SPACE
      ? `zoomed ${formatCount(NONCE_SPACE / zoomEnd)}×: nonces 0 to ${formatCount(zoomEnd)} (2^${Math.log2(zoomEnd)})`
      : 'the whole nonce space again';
  drawNonceMap($('#nonce-zoom'), workers, zoomEnd);
  const covered = workers.reduce((sum, w) => sum + w.covered, 0);
  $('#nonce-text').textContent =
    `${formatCount(covered)} nonces hashed in this header, ${((covered / NONCE_SPACE) * 100).toPrecision(2)}% of 2^32: ${workers.map((w) => `${workerName(w.index)} ${formatCount(w.covered)}`).join(', ')}`;
}

function drawNonceMap(canvas, workers, end) {
  const row = 16;
  const { ctx, width } = prepare(canvas, Math.max(1, workers.length) * (row + 4) + 4);
  const left = 70;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  workers.forEach((worker, i) => {
    const top = 2 + i * (row + 4);
    ctx.fillStyle = '#0f1419';
    ctx.fillRect(left, top, width - left, row);
    ctx.fillStyle = '#8b98a5';
    ctx.fillText(workerName(worker.index), 4, top + row / 2);
    ctx.fillStyle = WORKER_COLOURS[worker.index % WORKER_COLOURS.length];
    for (const [start, stop] of worker.ranges) {
      if (start >= end) continue;
      const x0 = left + (start / end) * (width - left);
      const x1 = left + (Math.min(stop, end) / end) * (width - left);
      // At least a pixel: a quarter second of hashing is a sliver of 2^32, and still real.
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), row);
    }
  });
}

// ---- a header explained -----------------------------------------------------------------------

const FIELD_NOTES = {
  version:
    'a 32-bit number, stored little-endian like every number in the header (x86 order, as Satoshi’s code wrote it)',
  prevHash: 'the hash of the block before, in internal order: the reverse of how explorers print it',
  merkleRoot:
    'the root of the tree of transaction ids; the coinbase carries the extranonce, so a new extranonce makes a new root',
  time: 'seconds since 1970, little-endian',
  bits: 'the target in compact form: one exponent byte and three mantissa bytes (stored little-endian)',
  nonce: 'the 32 bits the miner turns: 2^32 tries per header',
};

/** Counts the requests: only the latest click's answer is shown, however the replies arrive. */
let explainRequests = 0;

async function explain(find) {
  const request = ++explainRequests;
  const dialog = $('#explain');
  const body = $('#explain-body');
  $('#explain-title').textContent = `${findName(find)}: its header, step by step`;
  body.replaceChildren(el('p', { class: 'muted' }, 'loading…'));
  if (!dialog.open) dialog.showModal();
  let shown;
  try {
    const response = await fetch(`/api/explain?header=${find.header}`);
    const facts = await response.json();
    shown = response.ok ? explanation(facts) : [el('p', {}, facts.error)];
  } catch (error) {
    shown = [el('p', {}, `powlab did not answer (${error.message}): is the run still going?`)];
  }
  if (request === explainRequests) body.replaceChildren(...shown);
}

function explanation(facts) {
  const dump = el(
    'div',
    { class: 'hexdump' },
    ...facts.fields.map((field) => el('span', { class: `f-${field.name}`, title: field.name }, field.hex)),
  );
  const fields = el(
    'table',
    { class: 'fields' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'field'),
        el('th', {}, 'bytes'),
        el('th', {}, 'as stored'),
        el('th', {}, 'value'),
        el('th', {}, 'why'),
      ),
    ),
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
          el(
            'td',
            { class: 'mono' },
            field.name === 'time'
              ? `${field.value} (${new Date(field.value * 1000).toISOString().replace('.000Z', 'Z')})`
              : String(field.value),
          ),
          el('td', {}, FIELD_NOTES[field.name]),
        ),
      ),
    ),
  );
  const step = (name, value) => el('div', {}, el('div', { class: 'step-name' }, name), value);
  const meets = facts.meetsTarget;
  const odds = facts.atHashrate;
  return [
    el('h3', {}, 'The 80 bytes'),
    dump,
    fields,
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

$('#explain-close').addEventListener('click', () => $('#explain').close());
window.addEventListener('resize', () => latest && render(latest));
connect();
