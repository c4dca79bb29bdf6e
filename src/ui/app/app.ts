/**
 * The web app: the CLI's engine in a page. The Miner and the mining session drive Web Workers
 * (threads.ts), the built-in chain keeps its blocks in IndexedDB (chain-db.ts), and explain,
 * economics and the odds come from the same modules the terminal uses.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { bytesToHex, hexToBytes } from '../../core/bytes.js';
import { hashToDisplayHex, headerBytesFromHex, parseHeader, serializeHeader } from '../../core/header.js';
import { oddsAt } from '../../core/odds.js';
import { REGTEST } from '../../core/params.js';
import { bitsToTarget, expectedHashes, targetFromZeroBits } from '../../core/target.js';
import {
  countOf,
  formatChance,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatLarge,
} from '../../format/numbers.js';
import { findPreset } from '../../economics/figures.js';
import { explainBlock } from '../../explain/block.js';
import { explainHeader, timeAtHashrate } from '../../explain/header.js';
import { useWasmModules, type WasmModuleBytes } from '../../hash/wasm.js';
import { runBench, type BenchOptions } from '../../miner/bench.js';
import type { MinerStats } from '../../miner/miner.js';
import { MAX_THREADS_PER_CORE } from '../../miner/options.js';
import type { ThreadHost } from '../../miner/threads.js';
import { BLOCK_COUNT, ZERO_BITS, type WholeRange } from '../../mining/limits.js';
import { MiningSession } from '../../mining/session.js';
import { BuiltInChain, type MinedBlock } from '../../sources/chain.js';
import { scanStore, storedBlockBytes } from '../../sources/chain-store.js';
import { HeaderGrind } from '../../sources/grind.js';
import { forgetChainDb, openChainDb } from './chain-db.js';
import { BENCH_SECONDS, linkNotice, linkStart, readLink } from './link.js';
import { webThreads } from './threads.js';
import { benchDone, benchProgress, pageError, stopWords } from './words.js';

/** OP_TRUE, as the CLI pays by default: anyone can spend a regtest reward. */
const PAYOUT_SCRIPT = Uint8Array.of(0x51);
const SAMPLE_MS = 500;
const HISTORY_KEPT = 120;
const WORKER_COLOURS = ['#0b6e99', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#1864ab', '#c2255c', '#5c940d'];
const NONCE_SPACE = 2 ** 32;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);

let host: ThreadHost | undefined;
/** What stops whatever runs now (mining, a search, a benchmark): the Stop button and a new start call it. */
let running: AbortController | undefined;
let lastHashrate = 0;

function say(id: string, text: string): void {
  $(id).textContent = text;
}

function warn(message: string): void {
  say('mine-status', `Warning: ${message}`);
}

function setBusy(busy: boolean): void {
  for (const id of ['start', 'bench-start', 'grind-button', 'forget-chain'])
    $<HTMLButtonElement>(id).disabled = busy || !host;
  $<HTMLButtonElement>('stop').disabled = !busy;
}

async function ensureIsolated(): Promise<boolean> {
  if (crossOriginIsolated) {
    sessionStorage.removeItem('powlab-coi-reload');
    return true;
  }
  if (!('serviceWorker' in navigator) || !isSecureContext) return false;
  if (sessionStorage.getItem('powlab-coi-reload')) return false;
  await navigator.serviceWorker.register('coi-sw.js');
  await navigator.serviceWorker.ready;
  sessionStorage.setItem('powlab-coi-reload', '1');
  location.reload();
  return new Promise<boolean>(() => {});
}

async function fetchWasm(): Promise<WasmModuleBytes> {
  const get = async (name: string) => {
    const response = await fetch(name);
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [simd, scalar] = await Promise.all([get('sha256d-simd.wasm'), get('sha256d-scalar.wasm')]);
  return { simd, scalar };
}

// ---- charts -------------------------------------------------------------------------------------

class HashrateChart {
  private plot?: uPlot;
  private times: number[] = [];
  private rates: number[][] = [];
  private began = 0;

  reset(threads: number): void {
    this.plot?.destroy();
    this.times = [];
    this.rates = Array.from({ length: threads }, () => []);
    this.began = performance.now();
    const container = $('hashrate-chart');
    const series: uPlot.Series[] = [{ label: 'seconds' }];
    for (let i = 0; i < threads; i++)
      series.push({
        label: `worker ${i + 1}`,
        stroke: WORKER_COLOURS[i % WORKER_COLOURS.length],
        width: 2,
        value: (_, v) => (v == null ? '–' : formatHashrate(v)),
      });
    this.plot = new uPlot(
      {
        width: Math.max(280, container.clientWidth),
        height: 220,
        scales: { x: { time: false }, y: { range: (_, __, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [{ label: 'seconds' }, { values: (_, ticks) => ticks.map((v) => formatHashrate(v)), size: 80 }],
        series,
        // The values under the cursor only: with no cursor the legend would show "seconds: --".
        legend: { live: false },
      },
      [[], ...this.rates],
      container,
    );
  }

  /** `when`: "now" while mining, else the moment the figures are from. */
  add(stats: MinerStats, when = 'now'): void {
    this.times.push((performance.now() - this.began) / 1000);
    stats.workers.forEach((worker, i) => this.rates[i]?.push(worker.hashrate));
    if (this.times.length > HISTORY_KEPT) {
      this.times.shift();
      for (const list of this.rates) list.shift();
    }
    this.plot?.setData([this.times, ...this.rates]);
    const words = stats.workers
      .map((worker) => `worker ${worker.index + 1} ${formatHashrate(worker.hashrate)}`)
      .join(', ');
    say('hashrate-text', `Hashrate per worker ${when}: ${words}; ${formatHashrate(stats.hashrate)} in all.`);
  }

  resize(): void {
    this.plot?.setSize({ width: Math.max(280, $('hashrate-chart').clientWidth), height: 220 });
  }
}

/** Each worker's row shows the nonce ranges it has hashed in the current header, out of 2^32. */
function drawNonceMap(stats: MinerStats): void {
  const svg = $('nonce-map');
  const rows = Math.max(1, stats.workers.length);
  const rowHeight = 40 / rows;
  const parts: string[] = [];
  for (const worker of stats.workers) {
    const colour = WORKER_COLOURS[worker.index % WORKER_COLOURS.length];
    for (const [start, end] of worker.ranges) {
      const x = (start / NONCE_SPACE) * 1000;
      const width = Math.max(0.5, ((end - start) / NONCE_SPACE) * 1000);
      parts.push(
        `<rect x="${x}" y="${worker.index * rowHeight}" width="${width}" height="${rowHeight}" fill="${colour}"/>`,
      );
    }
  }
  svg.innerHTML = parts.join('');
  const covered = stats.workers.reduce((sum, worker) => sum + worker.covered, 0);
  const words = stats.workers.map((worker) => `worker ${worker.index + 1} ${formatCount(worker.covered)}`).join(', ');
  say(
    'nonce-text',
    `Nonce map of the current header (extranonce ${stats.extranonceIndex}): ${formatCount(covered)} of 4.29G nonces hashed (${((covered / NONCE_SPACE) * 100).toPrecision(2)}%): ${words}.`,
  );
}

function showOdds(expected: number, hashrate: number, where: string): void {
  if (!(hashrate > 0)) return;
  const odds = oddsAt(expected, hashrate);
  say(
    where,
    `At ${formatHashrate(hashrate)}, a block at this target takes ${formatDuration(odds.expectedSeconds)} on average (half come within ${formatDuration(odds.medianSeconds)}); the chance of one within an hour is ${formatChance(odds.chanceWithinHour)}.`,
  );
}

// ---- the chain ----------------------------------------------------------------------------------

/** Hex digits, which may break anywhere: every other word on the page breaks only between words. */
function hex(digits: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'hex';
  span.textContent = digits;
  return span;
}

/** A fact's value: words, hex, or the two mixed. */
type Fact = string | Node | (string | Node)[];

function facts(rows: [string, Fact][]): HTMLDListElement {
  const list = document.createElement('dl');
  list.className = 'facts';
  for (const [name, value] of rows) {
    const term = document.createElement('dt');
    term.textContent = name;
    const detail = document.createElement('dd');
    detail.append(...(Array.isArray(value) ? value : [value]));
    list.append(term, detail);
  }
  return list;
}

/** A number with its unit or exponent, kept on one line: "6.481e-5" does not break at its minus sign. */
function nowrap(text: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'nowrap';
  span.textContent = text;
  return span;
}

/** Replace what `id` shows with words and hex. */
function show(id: string, ...parts: (string | Node)[]): void {
  $(id).replaceChildren(...parts);
}

function blockItem(height: number, block: Uint8Array): HTMLLIElement {
  const header = explainHeader(block.subarray(0, 80));
  const parts = explainBlock(block, { layout: 'powlab', params: REGTEST, height });
  const field = (name: string) => String(header.fields.find((f) => f.name === name)?.value ?? '');
  const item = document.createElement('li');
  item.className = 'block';
  // Its number in the list is its height, whatever else the list held or holds.
  item.value = height;
  item.dataset.height = String(height);
  item.dataset.hash = header.hash;
  const title = document.createElement('h3');
  title.textContent = `Block ${height}`;
  const download = document.createElement('a');
  download.className = 'download-block button';
  download.download = `regtest-block-${height}.bin`;
  download.href = URL.createObjectURL(new Blob([block.slice()], { type: 'application/octet-stream' }));
  download.textContent = `Download block ${height} (${block.length} bytes)`;
  const wholeHex = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `The whole block as hex (${block.length} bytes)`;
  const pre = document.createElement('pre');
  pre.className = 'hex block-hex';
  pre.textContent = bytesToHex(block);
  wholeHex.append(summary, pre);
  item.append(
    title,
    facts([
      ['hash', hex(header.hash)],
      ['previous block', hex(field('prevHash'))],
      [
        'merkle root',
        [
          hex(parts.merkleRoot),
          parts.merkleRootMatchesHeader ? ' (matches the coinbase txid: one transaction)' : ' (does NOT match)',
        ],
      ],
      ['time', `${field('time')} (${new Date(Number(field('time')) * 1000).toISOString()})`],
      ['bits', [hex(header.bits.hex), ': target ', hex(header.target)]],
      ['nonce', field('nonce')],
      ['leading zero bits', `${header.leadingZeroBits} (the target asks for ${header.targetLeadingZeroBits})`],
      ['midstate', hex(header.midstate)],
      [
        'coinbase',
        [
          `height ${parts.coinbase.bip34Height} (BIP 34), extranonce ${parts.coinbase.extranonceIndex}, tag ${JSON.stringify(parts.coinbase.tag)}, txid `,
          hex(parts.coinbase.txid),
        ],
      ],
    ]),
    wholeHex,
    download,
  );
  return item;
}

let chainDownload: string | undefined;

async function showChain(): Promise<void> {
  const storage = await openChainDb(warn);
  try {
    const bytes = storage.bytes();
    const scan = scanStore(bytes);
    const list = $('block-list');
    list.replaceChildren(
      ...scan.blocks
        .map((stored) => blockItem(stored.height, storedBlockBytes({ bytes, scan }, stored.height)))
        .reverse(),
    );
    const tip = scan.blocks[scan.blocks.length - 1];
    $('chain-summary').dataset.height = String(scan.blocks.length);
    if (scan.problem)
      say('chain-summary', `The stored chain is damaged at block ${scan.problem.height}: ${scan.problem.reason}.`);
    else
      show(
        'chain-summary',
        `${scan.blocks.length} block${scan.blocks.length === 1 ? '' : 's'} on top of the regtest genesis; tip `,
        tip ? hex(hashToDisplayHex(tip.hash)) : 'the genesis block',
      );
    if (chainDownload) URL.revokeObjectURL(chainDownload);
    chainDownload = URL.createObjectURL(new Blob([storage.storeBytes().slice()], { type: 'application/octet-stream' }));
    $<HTMLAnchorElement>('download-chain').href = chainDownload;
  } finally {
    storage.close();
  }
}

function showStats(stats: MinerStats, chart: HashrateChart, expected: number, when?: string): void {
  lastHashrate = stats.hashrate;
  const rate = $('hashrate');
  rate.textContent = formatHashrate(stats.hashrate);
  rate.dataset.value = String(stats.hashrate);
  say('hashes', formatCount(stats.hashes));
  if (stats.sessionBest)
    show(
      'best',
      `${stats.sessionBest.zeros} zero bits (difficulty `,
      nowrap(formatDifficulty(stats.sessionBest.difficulty)),
      ')',
    );
  chart.add(stats, when);
  drawNonceMap(stats);
  showOdds(expected, stats.hashrate, 'odds');
}

async function mine(zeros: number, blocks: number, threads: number, chart: HashrateChart): Promise<void> {
  const stop = new AbortController();
  running = stop;
  setBusy(true);
  delete $('mine-status').dataset.done;
  delete $('mine-status').dataset.reason;
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const target = targetFromZeroBits(zeros);
    const storage = await openChainDb(warn);
    let chain: BuiltInChain;
    try {
      chain = BuiltInChain.open({ openStorage: () => storage, payoutScript: PAYOUT_SCRIPT, target, warn });
    } catch (error) {
      storage.close();
      throw error;
    }
    const session = await MiningSession.start(chain, {
      host: host!,
      threads,
      backend: 'wasm',
      blocks,
      signal: stop.signal,
    });
    let found = 0;
    say('found-count', '0');
    session.on('found', ({ result }: { result: MinedBlock }) => {
      found++;
      $('found-count').dataset.value = String(found);
      say('found-count', String(found));
      $('block-list').prepend(blockItem(result.height, hexToBytes(result.block)));
      $('chain-summary').dataset.height = String(result.height);
      show(
        'chain-summary',
        `${result.height} block${result.height === 1 ? '' : 's'} on top of the regtest genesis; tip `,
        hex(result.hash),
      );
      say(
        'mine-status',
        `Block ${result.height} found: nonce ${result.nonce} after ${formatCount(result.hashes)} hashes in ${formatDuration(result.seconds)}.`,
      );
    });
    session.on('warning', warn);
    chart.reset(session.threads);
    say(
      'mine-status',
      `Mining ${blocks > 0 ? `${blocks} block${blocks === 1 ? '' : 's'}` : 'until stopped'} at ${zeros} zero bits on ${session.threads} × ${session.backend}…`,
    );
    const expected = expectedHashes(chain.target);
    timer = setInterval(() => showStats(session.stats(), chart, expected), SAMPLE_MS);
    const summary = await session.run();
    showStats(summary.stats, chart, expected, 'as mining stopped');
    $('mine-status').dataset.done = String(summary.counted);
    $('mine-status').dataset.reason = summary.reason;
    say(
      'mine-status',
      `${stopWords(summary.reason)}${summary.error ? ` (${pageError(summary.error)})` : ''}: ${summary.counted} block${summary.counted === 1 ? '' : 's'} in ${formatDuration(summary.seconds)}, ${formatCount(summary.stats.hashes)} hashes at ${formatHashrate(summary.stats.meanHashrate)} on average.`,
    );
  } catch (error) {
    say('mine-status', `Could not mine: ${pageError(error)}`);
  } finally {
    clearInterval(timer);
    running = undefined;
    setBusy(false);
    await showChain().catch((error: unknown) => warn(pageError(error)));
  }
}

// ---- benchmark ----------------------------------------------------------------------------------

async function bench(most: number, seconds: number): Promise<void> {
  const stop = new AbortController();
  running = stop;
  setBusy(true);
  const body = $('bench-table').querySelector('tbody')!;
  body.replaceChildren();
  const threads = Array.from({ length: most }, (_, i) => i + 1);
  const rounds = 3;
  try {
    const plan: BenchOptions = {
      host: host!,
      machine: {
        cpu: navigator.userAgent,
        cores: navigator.hardwareConcurrency || 1,
        platform: 'browser',
        arch: '',
        memoryGiB: 0,
        node: '',
        v8: '',
        wasm: 'simd',
      },
      backends: ['wasm'],
      threads,
      seconds,
      rounds,
      signal: stop.signal,
      onRound: (done, total, backend, count) => say('bench-status', benchProgress(done, total, rounds, backend, count)),
    };
    const report = await runBench(plan);
    const asic = findPreset('s21')!;
    const asicRate = asic.machine.find((figure) => figure.quantity === 'hashrate')!.figure as { value: number };
    const row = (cells: string[], data: Record<string, string>) => {
      const tr = document.createElement('tr');
      Object.assign(tr.dataset, data);
      cells.forEach((text, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.setAttribute('scope', 'row');
        cell.textContent = text;
        tr.append(cell);
      });
      body.append(tr);
    };
    const one = report.results.find((result) => result.threads === 1);
    for (const result of report.results) {
      row(
        [
          `CPU, ${countOf(result.threads, 'thread')} (wasm)`,
          formatHashrate(result.hashrate),
          formatHashrate(result.perThread),
          one && result.scaling !== null ? `${result.scaling.toFixed(2)}× of perfect scaling` : '',
        ],
        { threads: String(result.threads), hashrate: String(result.hashrate) },
      );
    }
    const fastestCpu = Math.max(...report.results.map((result) => result.hashrate));
    try {
      const gpu = await runBench({ ...plan, backends: ['webgpu'], threads: [1] });
      const [result] = gpu.results;
      // Where there is no GPU, a browser may offer a software renderer: the same CPU cores, not a GPU.
      const adapter = gpu.gpu;
      row(
        [
          !adapter
            ? 'WebGPU'
            : adapter.software
              ? `WebGPU in software, on the CPU: ${adapter.name}`
              : `WebGPU: ${adapter.name}`,
          formatHashrate(result.hashrate),
          '',
          `${(result.hashrate / fastestCpu).toFixed(2)}× the fastest CPU row`,
        ],
        { backend: 'webgpu', hashrate: String(result.hashrate) },
      );
      report.results.push(result);
    } catch (error) {
      row(['WebGPU', 'not measured', '', pageError(error)], { backend: 'webgpu' });
    }
    const fastest = report.results.reduce(
      (best, result) => (result.hashrate > best.hashrate ? result : best),
      report.results[0],
    );
    if (fastest) {
      row(
        [
          asic.describe,
          formatHashrate(asicRate.value),
          '',
          `${formatLarge(asicRate.value / fastest.hashrate)} × this device's fastest row`,
        ],
        {},
      );
      lastHashrate = fastest.hashrate;
    }
    $('bench-status').dataset.done = report.complete ? 'complete' : 'stopped';
    say(
      'bench-status',
      report.complete ? benchDone(report.rounds, seconds) : 'Stopped: the rounds measured so far are shown.',
    );
  } catch (error) {
    say('bench-status', `Could not measure: ${pageError(error)}`);
  } finally {
    running = undefined;
    setBusy(false);
  }
}

// ---- a header taken apart, and its nonces searched ---------------------------------------------

function explainPasted(pasted: string): Uint8Array | undefined {
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
    if (lastHashrate > 0) {
      const time = timeAtHashrate(explanation, lastHashrate);
      rows.push([
        `at ${formatHashrate(lastHashrate)}`,
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

async function grind(header: Uint8Array, start: number, count: number, backend: 'wasm' | 'webgpu'): Promise<void> {
  const stop = new AbortController();
  running = stop;
  setBusy(true);
  const result = $('grind-result');
  delete result.dataset.nonce;
  try {
    const template = { ...parseHeader(header), nonce: 0 };
    const bytes = serializeHeader(template);
    const work = {
      id: 'search',
      target: bitsToTarget(template.bits),
      stopOnFind: true,
      extranonceCount: 1,
      nonceStart: start,
      nonceCount: Math.min(count, NONCE_SPACE - start),
      header: () => bytes,
    };
    const session = await MiningSession.start(new HeaderGrind(work), {
      host: host!,
      backend,
      blocks: 1,
      signal: stop.signal,
    });
    result.dataset.backend = session.backend;
    let nonce: number | undefined;
    session.on('found', ({ solution }) => (nonce = solution.nonce));
    say(
      'grind-result',
      `Searching ${formatCount(work.nonceCount)} nonces from ${start} on ${session.threads} × ${session.backend}…`,
    );
    const summary = await session.run();
    if (nonce !== undefined) {
      result.dataset.nonce = String(nonce);
      say(
        'grind-result',
        `Found nonce ${nonce} on ${session.backend} after ${formatCount(summary.stats.hashes)} hashes in ${formatDuration(summary.seconds)}.`,
      );
    } else {
      result.dataset.nonce = 'none';
      say(
        'grind-result',
        `No nonce in that window meets the target (${stopWords(summary.reason).toLowerCase()}: ${formatCount(summary.stats.hashes)} hashes).`,
      );
    }
  } catch (error) {
    say('grind-result', `Could not search: ${pageError(error)}`);
  } finally {
    running = undefined;
    setBusy(false);
  }
}

// ---- wiring -------------------------------------------------------------------------------------

function gpuChosen(): boolean {
  return $<HTMLSelectElement>('grind-backend').value === 'webgpu';
}

function whole(id: string, fallback: number): number {
  const value = Number(input(id).value);
  return Number.isInteger(value) ? value : fallback;
}

/** The form refuses what the CLI refuses: its fields take their ranges from the same definitions. */
function limitField(id: string, range: WholeRange): void {
  input(id).min = String(range.min);
  if (range.max === undefined) input(id).removeAttribute('max');
  else input(id).max = String(range.max);
}

async function main(): Promise<void> {
  const chart = new HashrateChart();
  const params = new URLSearchParams(location.search);
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  const threadRange = { min: 1, max: cores * MAX_THREADS_PER_CORE };
  limitField('zeros', ZERO_BITS);
  limitField('blocks', BLOCK_COUNT);
  limitField('threads', threadRange);
  limitField('bench-threads', threadRange);
  limitField('bench-seconds', BENCH_SECONDS);
  const link = readLink(params, cores);
  say('link-problem', linkNotice(params, link));
  const { zeros, blocks, threads, seconds } = link.numbers;
  input('threads').value = String(threads ?? cores);
  input('bench-threads').value = String(threads ?? cores);
  if (zeros !== undefined) input('zeros').value = String(zeros);
  if (blocks !== undefined) input('blocks').value = String(blocks);
  if (seconds !== undefined) input('bench-seconds').value = String(seconds);
  if (params.get('backend') === 'webgpu') $<HTMLSelectElement>('grind-backend').value = 'webgpu';
  window.addEventListener('resize', () => chart.resize());

  $('stop').addEventListener('click', () => running?.abort());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') running?.abort();
  });
  $('header-form').addEventListener('submit', (event) => {
    event.preventDefault();
    explainPasted($<HTMLTextAreaElement>('header-input').value);
  });
  const pasted = params.get('header');
  if (pasted) {
    $<HTMLTextAreaElement>('header-input').value = pasted;
    explainPasted(pasted);
    $('header').scrollIntoView();
  }

  const isolated = await ensureIsolated();
  if (!isolated) {
    say(
      'isolation',
      'Mining needs SharedArrayBuffer, which a browser gives only to a cross-origin isolated page in a secure context: open this page over https, or from localhost on the machine that serves it. Taking headers apart works here all the same.',
    );
    return;
  }
  try {
    const wasm = await fetchWasm();
    useWasmModules(wasm);
    host = webThreads(
      { cpu: new URL('worker.js', document.baseURI), gpu: new URL('gpu-worker.js', document.baseURI) },
      wasm,
    );
  } catch (error) {
    say('isolation', `The wasm core could not load: ${pageError(error)}`);
    return;
  }
  say(
    'isolation',
    `Ready: ${cores} logical cores, the wasm core in Web Workers, the chain in this browser's IndexedDB.`,
  );
  setBusy(false);
  await showChain().catch((error: unknown) => warn(pageError(error)));

  $('mine-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!running) void mine(whole('zeros', 16), whole('blocks', 0), whole('threads', cores), chart);
  });
  $('bench-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!running) void bench(whole('bench-threads', cores), whole('bench-seconds', 3));
  });
  $('grind-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const header = explainPasted($<HTMLTextAreaElement>('header-input').value);
    if (header && !running)
      void grind(header, whole('grind-start', 0), whole('grind-count', 1_000_000), gpuChosen() ? 'webgpu' : 'wasm');
  });
  $('forget-chain').addEventListener('click', () => {
    if (running) return;
    void forgetChainDb()
      .then(showChain)
      .catch((error: unknown) => warn(pageError(error)));
  });
  const started = linkStart(params, link);
  // What the link started on its own, for whoever watches the page (the tests do).
  document.documentElement.dataset.started = started;
  if (started === 'mining') void mine(whole('zeros', 16), whole('blocks', 0), whole('threads', cores), chart);
  else if (started === 'bench') void bench(whole('bench-threads', cores), whole('bench-seconds', 3));
}

void main();
