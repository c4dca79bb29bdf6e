/**
 * The app's controller: it reads the link and the forms, starts one task at a time (Busy) on the
 * engine through the mining glue (mining.ts), and hands what comes back to the views. Its state is
 * this object's, made once by app.ts: nothing at module level.
 */
import { hexToBytes } from '../../core/bytes.js';
import { countOf, formatCount, formatDuration, formatHashrate } from '../../format/numbers.js';
import { MAX_THREADS_PER_CORE } from '../../miner/options.js';
import { BLOCK_COUNT, ZERO_BITS, type WholeRange } from '../../mining/limits.js';
import type { SessionSummary } from '../../mining/session.js';
import { clearBench, showBench } from './bench-view.js';
import { forgetChainDb } from './chain-db.js';
import { ChainView } from './chain-view.js';
import { $, input, say } from './dom.js';
import { startEngine, type Engine } from './engine.js';
import { explainPasted } from './header-view.js';
import { JoinView } from './join-view.js';
import { BENCH_SECONDS, joinName, linkNotice, linkStart, readLink } from './link.js';
import { benchmark, mineChain, mineForPool, searchNonces, type RunReport } from './mining.js';
import type { PoolSnapshot } from '../../pool/api.js';
import { poolEndpoint } from './pool-join.js';
import { followPool } from './pool-view.js';
import { StatsView } from './stats-view.js';
import { Busy } from './busy.js';
import { benchDone, benchProgress, pageError, stopWords } from './words.js';

const BENCH_ROUNDS = 3;
const BUTTONS = ['start', 'bench-start', 'grind-button', 'forget-chain', 'join-button'];

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

/** How a mining run ended, in one sentence. */
function summaryWords(summary: SessionSummary, what: string): string {
  return `${stopWords(summary.reason)}${summary.error ? ` (${pageError(summary.error)})` : ''}: ${what} in ${formatDuration(summary.seconds)}, ${formatCount(summary.stats.hashes)} hashes at ${formatHashrate(summary.stats.meanHashrate)} on average.`;
}

export class AppController {
  private engine?: Engine;
  private readonly busy = new Busy((busy) => this.buttons(busy));
  private readonly stats = new StatsView();
  private readonly chain = new ChainView((message) => this.warn(message));
  private readonly cores = Math.max(1, navigator.hardwareConcurrency || 1);
  /** The hashrate last measured here (mining or the benchmark), for the header's odds. */
  private lastHashrate = 0;
  /** The pool that serves this page, once its first snapshot came; undefined on any other host. */
  private pool?: PoolSnapshot;
  private joined?: JoinView;

  private warn(message: string): void {
    say('mine-status', `Warning: ${message}`);
  }

  private buttons(busy: boolean): void {
    for (const id of BUTTONS) $<HTMLButtonElement>(id).disabled = busy || !this.engine;
    for (const id of ['stop', 'join-stop']) $<HTMLButtonElement>(id).disabled = !busy;
  }

  /** The fields, from the link; then the engine; then what the link starts. */
  async start(): Promise<void> {
    const params = new URLSearchParams(location.search);
    const threadRange = { min: 1, max: this.cores * MAX_THREADS_PER_CORE };
    limitField('zeros', ZERO_BITS);
    limitField('blocks', BLOCK_COUNT);
    limitField('threads', threadRange);
    limitField('bench-threads', threadRange);
    limitField('bench-seconds', BENCH_SECONDS);
    const link = readLink(params, this.cores);
    say('link-problem', linkNotice(params, link));
    const { zeros, blocks, threads, seconds } = link.numbers;
    input('threads').value = String(threads ?? this.cores);
    input('bench-threads').value = String(threads ?? this.cores);
    if (zeros !== undefined) input('zeros').value = String(zeros);
    if (blocks !== undefined) input('blocks').value = String(blocks);
    if (seconds !== undefined) input('bench-seconds').value = String(seconds);
    if (params.get('backend') === 'webgpu') $<HTMLSelectElement>('grind-backend').value = 'webgpu';
    const name = joinName(params);
    if (name) input('join-name').value = name;

    for (const id of ['stop', 'join-stop']) $(id).addEventListener('click', () => this.busy.stop());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.busy.stop();
    });
    $('header-form').addEventListener('submit', (event) => {
      event.preventDefault();
      explainPasted($<HTMLTextAreaElement>('header-input').value, this.lastHashrate);
    });
    const pasted = params.get('header');
    if (pasted) {
      $<HTMLTextAreaElement>('header-input').value = pasted;
      explainPasted(pasted, this.lastHashrate);
      $('header').scrollIntoView();
    }
    const served = this.followPool();

    try {
      this.engine = await startEngine();
    } catch (error) {
      say('isolation', `The wasm core could not load: ${pageError(error)}`);
      return;
    }
    say(
      'isolation',
      this.engine.isolated
        ? `Ready: ${countOf(this.cores, 'logical core')}, the wasm core in Web Workers, the chain in this browser's IndexedDB.`
        : `Ready, without shared memory: this page is not a secure context (plain http from another machine), so the workers report and stop by message, a little slower.`,
    );
    document.documentElement.dataset.sharedMemory = String(this.engine.isolated);
    this.buttons(false);
    await this.chain.refresh().catch((error: unknown) => this.warn(pageError(error)));
    this.wireForms();

    const started = name && (await served) ? 'join' : linkStart(params, link);
    // What the link started on its own, for whoever watches the page (the tests do).
    document.documentElement.dataset.started = started;
    if (started === 'join') void this.join();
    else if (started === 'mining') void this.mine();
    else if (started === 'bench') void this.bench();
  }

  private wireForms(): void {
    $('mine-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.mine();
    });
    $('bench-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.bench();
    });
    $('grind-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.grind();
    });
    $('join-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.join();
    });
    $('forget-chain').addEventListener('click', () => {
      if (this.busy.busy) return;
      void forgetChainDb()
        .then(() => this.chain.refresh())
        .catch((error: unknown) => this.warn(pageError(error)));
    });
  }

  /**
   * Resolves true when a pool serves this page (its answers carry x-powlab-pool), having begun to
   * follow its snapshots; false on any other host, which is asked for nothing it lacks.
   */
  private followPool(): Promise<boolean> {
    return fetch('./', { method: 'HEAD', cache: 'no-store' }).then(
      (response) => {
        if (!response.headers.has('x-powlab-pool')) return false;
        $('pool').hidden = false;
        followPool((snapshot) => {
          this.pool = snapshot;
          this.joined?.pool(snapshot);
        });
        return true;
      },
      () => false,
    );
  }

  /** The report a mining run gives: figures to the stats view, warnings to the status line. */
  private runReport(): RunReport {
    return {
      started: (threads) => this.stats.reset(threads),
      stats: (stats, expected) => {
        this.lastHashrate = stats.hashrate;
        this.stats.show(stats, expected);
      },
      warning: (message) => this.warn(message),
    };
  }

  private mine(): Promise<void> {
    const plan = { zeros: whole('zeros', 16), blocks: whole('blocks', 0), threads: whole('threads', this.cores) };
    return this.busy.run(async (signal) => {
      const status = $('mine-status');
      delete status.dataset.done;
      delete status.dataset.reason;
      let found = 0;
      say('found-count', '0');
      try {
        const report = this.runReport();
        const summary = await mineChain(this.engine!.host, plan, signal, {
          ...report,
          started: (threads, backend) => {
            report.started(threads, backend);
            say(
              'mine-status',
              `Mining ${plan.blocks > 0 ? countOf(plan.blocks, 'block') : 'until stopped'} at ${plan.zeros} zero bits on ${threads} × ${backend}…`,
            );
          },
          found: (block) => {
            found++;
            $('found-count').dataset.value = String(found);
            say('found-count', String(found));
            this.chain.added(block.height, hexToBytes(block.block), block.hash);
            say(
              'mine-status',
              `Block ${block.height} found: nonce ${block.nonce} after ${formatCount(block.hashes)} hashes in ${formatDuration(block.seconds)}.`,
            );
          },
        });
        this.stats.show(summary.stats, summary.stats.expectedHashes, 'as mining stopped');
        status.dataset.done = String(summary.counted);
        status.dataset.reason = summary.reason;
        say('mine-status', summaryWords(summary, countOf(summary.counted, 'block')));
      } catch (error) {
        say('mine-status', `Could not mine: ${pageError(error)}`);
      } finally {
        await this.chain.refresh().catch((error: unknown) => this.warn(pageError(error)));
      }
    });
  }

  /** Mine for the pool that serves this page, under the name in the Join field. */
  private join(): Promise<void> {
    const user = input('join-name').value.trim();
    if (!user) {
      say('join-status', 'Give the name the pool should credit your shares to.');
      return Promise.resolve();
    }
    return this.busy.run(async (signal) => {
      const view = new JoinView(user);
      this.joined = view;
      if (this.pool) view.pool(this.pool);
      const status = $('join-status');
      try {
        const report = this.runReport();
        const summary = await mineForPool(
          this.engine!.host,
          { url: poolEndpoint(location), user, threads: whole('threads', this.cores) },
          signal,
          {
            ...report,
            started: (threads, backend) => {
              report.started(threads, backend);
              say('join-status', `Mining for the pool as ${user} on ${threads} × ${backend}…`);
            },
            share: (result, block) => view.share(result, block),
            told: (text) => say('join-status', text),
          },
        );
        status.dataset.reason = summary.reason;
        say('join-status', summaryWords(summary, countOf(summary.finds, 'share')));
      } catch (error) {
        say('join-status', `Could not join: ${pageError(error)}`);
      }
    });
  }

  private bench(): Promise<void> {
    const plan = { most: whole('bench-threads', this.cores), seconds: whole('bench-seconds', 3), rounds: BENCH_ROUNDS };
    return this.busy.run(async (signal) => {
      clearBench();
      try {
        const { cpu, gpu } = await benchmark(this.engine!.host, plan, signal, (done, total, backend, count) =>
          say('bench-status', benchProgress(done, total, plan.rounds, backend, count)),
        );
        const fastest = showBench(cpu, gpu);
        if (fastest) this.lastHashrate = fastest.hashrate;
        $('bench-status').dataset.done = cpu.complete ? 'complete' : 'stopped';
        say(
          'bench-status',
          cpu.complete ? benchDone(cpu.rounds, plan.seconds) : 'Stopped: the rounds measured so far are shown.',
        );
      } catch (error) {
        say('bench-status', `Could not measure: ${pageError(error)}`);
      }
    });
  }

  private grind(): Promise<void> {
    const header = explainPasted($<HTMLTextAreaElement>('header-input').value, this.lastHashrate);
    if (!header) return Promise.resolve();
    const plan = {
      header,
      start: whole('grind-start', 0),
      count: whole('grind-count', 1_000_000),
      backend: $<HTMLSelectElement>('grind-backend').value === 'webgpu' ? ('webgpu' as const) : ('wasm' as const),
    };
    return this.busy.run(async (signal) => {
      const result = $('grind-result');
      delete result.dataset.nonce;
      try {
        const { nonce, summary, backend } = await searchNonces(
          this.engine!.host,
          plan,
          signal,
          (threads, used, count) => {
            result.dataset.backend = used;
            say('grind-result', `Searching ${formatCount(count)} nonces from ${plan.start} on ${threads} × ${used}…`);
          },
        );
        result.dataset.nonce = nonce === undefined ? 'none' : String(nonce);
        say(
          'grind-result',
          nonce !== undefined
            ? `Found nonce ${nonce} on ${backend} after ${formatCount(summary.stats.hashes)} hashes in ${formatDuration(summary.seconds)}.`
            : `No nonce in that window meets the target (${stopWords(summary.reason).toLowerCase()}: ${formatCount(summary.stats.hashes)} hashes).`,
        );
      } catch (error) {
        say('grind-result', `Could not search: ${pageError(error)}`);
      }
    });
  }
}
