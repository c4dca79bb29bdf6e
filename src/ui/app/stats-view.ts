/**
 * What mining shows while it runs: the hashrate per worker (uPlot), the nonce map of the current
 * header, the counters, and the odds at the measured hashrate.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { oddsAt } from '../../core/odds.js';
import { formatChance, formatCount, formatDifficulty, formatDuration, formatHashrate } from '../../format/numbers.js';
import type { MinerStats } from '../../miner/miner.js';
import { $, nowrap, say, show } from './dom.js';

const HISTORY_KEPT = 120;
const WORKER_COLOURS = ['#0b6e99', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#1864ab', '#c2255c', '#5c940d'];
const NONCE_SPACE = 2 ** 32;

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
  add(stats: MinerStats, when: string): void {
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
  $('nonce-map').innerHTML = parts.join('');
  const covered = stats.workers.reduce((sum, worker) => sum + worker.covered, 0);
  const words = stats.workers.map((worker) => `worker ${worker.index + 1} ${formatCount(worker.covered)}`).join(', ');
  say(
    'nonce-text',
    `Nonce map of the current header (extranonce ${stats.extranonceIndex}): ${formatCount(covered)} of 4.29G nonces hashed (${((covered / NONCE_SPACE) * 100).toPrecision(2)}%): ${words}.`,
  );
}

/** The odds of a block at `expected` hashes, at `hashrate`, in the element `where`. */
export function showOdds(expected: number, hashrate: number, where: string): void {
  if (!(hashrate > 0)) return;
  const odds = oddsAt(expected, hashrate);
  say(
    where,
    `At ${formatHashrate(hashrate)}, a block at this target takes ${formatDuration(odds.expectedSeconds)} on average (half come within ${formatDuration(odds.medianSeconds)}); the chance of one within an hour is ${formatChance(odds.chanceWithinHour)}.`,
  );
}

/** The mining panel's figures, one run after another. */
export class StatsView {
  private readonly chart = new HashrateChart();

  constructor() {
    window.addEventListener('resize', () => this.chart.resize());
  }

  /** A new run on `threads` workers. */
  reset(threads: number): void {
    this.chart.reset(threads);
  }

  /** `expected`: hashes one find takes on average at the current target. */
  show(stats: MinerStats, expected: number, when = 'now'): void {
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
    this.chart.add(stats, when);
    drawNonceMap(stats);
    showOdds(expected, stats.hashrate, 'odds');
  }
}
