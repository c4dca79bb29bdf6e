// The powlab dashboard page: live figures from /api/events (Server-Sent Events), the hashrate chart
// and the nonce maps on the shared charts, and a found header explained from /api/explain.
import './dashboard.css';
import type {
  ChainStatus,
  DashboardStatus,
  Find,
  HashrateSample,
  Payout,
  ScoreEntry,
  WorkerStatus,
} from '../../dashboard/api.js';
import type { BestHash } from '../../miner/best.js';
import {
  countOf,
  formatBtc,
  formatChance,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
} from '../../format/numbers.js';
import { LineChart, SpanChart, type LineSeries } from '../chart.js';
import { byId, el, say } from '../dom.js';
import { ChainCard } from './chain.js';
import { findName, HeaderDialog } from './explain.js';
import { addSample, furthestNonce, workerName } from './figures.js';

const NONCE_SPACE = 2 ** 32;
const BANNER_MS = 10_000;
const SCORE_NAMES: Record<ScoreEntry['kind'], string> = {
  record: 'a new best',
  block: 'a block',
  share: 'a share',
  earlier: 'an earlier run',
};

/** A snapshot as the event stream sends it: the first of a connection carries the whole history. */
type Snapshot = DashboardStatus & { history?: HashrateSample[] };

/** One coinbase output as the terminal words it: 50.00000000 BTC to bcrt1q… */
function payoutWords(output: Payout): string {
  const to = output.address
    ? `${output.address}${output.type === 'p2pk' ? ' (a bare public key)' : ''}`
    : output.type === 'nulldata'
      ? 'no one (data)'
      : output.type === 'anyone'
        ? 'anyone (OP_TRUE)'
        : 'a script';
  return `coinbase pays ${formatBtc(output.value)} to ${to}`;
}

/** A block that counts: not one the node or pool turned down (its verdict shows in the list). */
function isCountedBlock(find: Find): boolean {
  return find.block && (find.verdict === undefined || find.verdict === 'accepted');
}

function setFigure(id: string, value: number, text: string): void {
  const node = byId(id);
  node.dataset.value = String(value);
  node.textContent = text;
}

function renderBest(id: string, best: BestHash | null): void {
  say(id, best ? `${best.zeros} zero bits` : '–');
  say(`${id}-detail`, best ? `difficulty ${formatDifficulty(best.difficulty)}: ${best.hash.slice(0, 24)}…` : '');
}

class Dashboard {
  private run: string | null = null;
  private history: HashrateSample[] = [];
  private shownFinds = '';
  private bannerTimer?: ReturnType<typeof setTimeout>;
  private readonly dialog = new HeaderDialog();
  private readonly chart = new LineChart(byId('chart'), {
    height: 260,
    xValue: (seconds) => (seconds === 0 ? 'now' : `${Math.round(seconds)} s`),
    yValue: formatHashrate,
  });
  private readonly nonceFull = new SpanChart(byId('nonce-full'), formatCount);
  private readonly nonceZoom = new SpanChart(byId('nonce-zoom'), formatCount);
  private readonly chain = new ChainCard();

  connect(): void {
    const events = new EventSource('/api/events');
    const connection = byId('connection');
    const show = (text: string, state: string) => {
      connection.textContent = text;
      connection.className = `pill ${state}`;
    };
    const read = <T>(event: Event) => JSON.parse((event as MessageEvent<string>).data) as T;
    events.addEventListener('open', () => show('live', 'live'));
    events.addEventListener('status', (event) => this.onStatus(read<Snapshot>(event)));
    events.addEventListener('found', (event) => this.onFound(read<Find>(event)));
    events.addEventListener('chain', (event) => this.chain.render(read<ChainStatus>(event)));
    events.addEventListener('end', (event) => {
      this.onStatus(read<Snapshot>(event));
      show('run ended: start powlab mine --dashboard again and this page follows', 'ended');
    });
    events.addEventListener('error', () => {
      // EventSource keeps retrying on its own; say so unless the run ended cleanly.
      if (connection.classList.contains('ended')) return;
      show('not connected: waiting for powlab mine --dashboard', 'lost');
    });
  }

  private onStatus(status: Snapshot): void {
    if (status.run !== this.run) {
      this.run = status.run;
      this.history = [];
    }
    if (status.history) this.history = status.history;
    else if (status.sample) addSample(this.history, status.sample);
    this.render(status);
  }

  private render(status: DashboardStatus): void {
    document.body.dataset.seq = String(status.seq);
    const finds = status.source.finds;
    for (const node of document.querySelectorAll('.find-name')) node.textContent = finds;
    for (const node of document.querySelectorAll('.finds-name')) node.textContent = `${finds}s`;
    for (const node of document.querySelectorAll('.finds-title'))
      node.textContent = `${finds[0].toUpperCase()}${finds.slice(1)}s`;
    say('source', status.source.name);
    say('label', status.label);

    setFigure('hashrate', status.hashrate, formatHashrate(status.hashrate));
    say('mean', `mean ${formatHashrate(status.meanHashrate)} since the start`);
    setFigure('hashes', status.hashes, formatCount(status.hashes));
    say('elapsed', `in ${formatDuration(status.elapsedSeconds)}`);
    const found = finds === 'block' ? status.blocksFound : status.sharesFound;
    setFigure('found-count', found, String(found));
    say(
      'engine',
      `${countOf(status.threads, 'worker')} × ${status.backend}${status.throttle < 100 ? ` at ${status.throttle}%` : ''}${status.workersReplaced ? `, ${status.workersReplaced} replaced after dying` : ''}`,
    );
    renderBest('best-session', status.best.session);
    renderBest('best-all', status.best.allTime);

    const { hashes, expectedHashes, difficulty, extranonce } = status.work;
    const fraction = expectedHashes > 0 ? hashes / expectedHashes : 0;
    byId('progress-bar').style.width = `${Math.min(100, fraction * 50)}%`;
    say(
      'progress-text',
      expectedHashes > 0
        ? `${formatCount(hashes)} hashes tried of ${formatCount(expectedHashes)} expected (${Math.round(fraction * 100)}%) at difficulty ${formatDifficulty(difficulty)}, header ${extranonce + 1} of this ${finds}. Luck runs both ways: past 100% is common, and the odds of the next hash never change.`
        : 'waiting for work',
    );
    say(
      'odds',
      status.next.expectedSeconds === null
        ? ''
        : `At ${formatHashrate(status.hashrate)}, the next ${finds} takes ${formatDuration(status.next.expectedSeconds)} on average (difficulty × 2³² / hashrate); the chance of one within the next hour is ${formatChance(status.next.chanceWithinHour)}.`,
    );

    this.drawChart(status.workers.length);
    this.chain.render(status.chain);
    this.drawNonceMaps(status.workers);
    this.renderScoreboard(status.scoreboard);
    // A pool's share that is also a block is in both lists: with a pool, every find is a share.
    this.renderFinds(finds === 'block' ? status.blocks : status.shares);
  }

  private drawChart(workers: number): void {
    const points = this.history;
    const now = points.at(-1)?.t ?? 0;
    const series: LineSeries[] = [
      ...Array.from({ length: workers }, (_, w): LineSeries => ({ label: workerName(w), colour: w, width: 1.5 })),
      { label: 'total', colour: 'total', width: 3 },
    ];
    this.chart.update(
      series,
      points.map((point) => point.t - now),
      [
        ...Array.from({ length: workers }, (_, w) => points.map((point) => point.workers[w] ?? 0)),
        points.map((point) => point.hashrate),
      ],
    );
  }

  private drawNonceMaps(workers: WorkerStatus[]): void {
    const reach = furthestNonce(workers);
    // Zoom to the smallest power of two that holds every range: the whole space dwarfs a few seconds' work.
    const zoomEnd = 2 ** Math.max(16, Math.ceil(Math.log2(Math.max(1, reach))));
    const rows = workers.map((worker) => ({
      label: workerName(worker.index),
      colour: worker.index,
      spans: worker.ranges,
    }));
    this.nonceFull.update(rows, NONCE_SPACE);
    say(
      'zoom-caption',
      zoomEnd < NONCE_SPACE
        ? `zoomed ${formatCount(NONCE_SPACE / zoomEnd)}×: nonces 0 to ${formatCount(zoomEnd)} (2^${Math.log2(zoomEnd)})`
        : 'the whole nonce space again',
    );
    this.nonceZoom.update(rows, zoomEnd);
    const covered = workers.reduce((sum, worker) => sum + worker.covered, 0);
    say(
      'nonce-text',
      `${formatCount(covered)} nonces hashed in this header, ${((covered / NONCE_SPACE) * 100).toPrecision(2)}% of 2^32: ${workers.map((worker) => `${workerName(worker.index)} ${formatCount(worker.covered)}`).join(', ')}`,
    );
  }

  private renderScoreboard(scores: ScoreEntry[]): void {
    byId('scoreboard').replaceChildren(
      ...scores.map((score, i) =>
        el(
          'tr',
          { class: `kind-${score.kind}` },
          el('td', {}, String(i + 1)),
          el('td', {}, String(score.zeros)),
          el('td', {}, formatDifficulty(score.difficulty)),
          el('td', {}, SCORE_NAMES[score.kind]),
          el('td', { class: 'hash' }, score.hash),
        ),
      ),
    );
  }

  private renderFinds(finds: Find[]): void {
    const key = finds.map((find) => find.hash).join();
    if (key === this.shownFinds) return;
    const fresh = new Set(finds.map((find) => find.hash));
    for (const hash of this.shownFinds.split(',')) fresh.delete(hash);
    this.shownFinds = key;
    byId('no-blocks').hidden = finds.length > 0;
    byId('blocks').replaceChildren(
      ...finds.map((find) =>
        el(
          'li',
          { class: fresh.has(find.hash) ? 'fresh' : '' },
          el(
            'button',
            { onclick: () => void this.dialog.open(find), title: 'take this header apart' },
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

  private onFound(find: Find): void {
    if (!isCountedBlock(find)) return;
    const banner = byId('banner');
    say(
      'banner-detail',
      `${find.height !== undefined ? `height ${find.height} · ` : ''}${find.zeros} leading zero bits · ${find.hash}`,
    );
    banner.hidden = false;
    banner.onclick = () => {
      banner.hidden = true;
      void this.dialog.open(find);
    };
    // Restart the pulse for a block that follows another quickly.
    banner.style.animation = 'none';
    void banner.offsetWidth;
    banner.style.animation = '';
    clearTimeout(this.bannerTimer);
    this.bannerTimer = setTimeout(() => (banner.hidden = true), BANNER_MS);
  }
}

new Dashboard().connect();
