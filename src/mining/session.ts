/**
 * One mining session for every source: start the Miner, feed it the source's work, hand each
 * solution back to the source (stored, submitted, or sent as a share), and stop on the signal, at
 * --duration or after --blocks finds. Printers (the CLI, the dashboard, the web app) subscribe to its
 * events; nothing here prints or knows where it runs.
 */
import { Errors, errorMessage } from '../errors.js';
import { Emitter } from '../events.js';
import type { BackendName } from '../hash/backend.js';
import type { GpuAdapterInfo } from '../hash/webgpu.js';
import type { BestHash } from '../miner/best.js';
import { Miner, type MinerStats } from '../miner/miner.js';
import { threadsWarning } from '../miner/options.js';
import type { ThreadHost } from '../miner/threads.js';
import type { Solution, Work } from '../miner/work.js';
import type { FindOutcome, MiningSource, WorkSink } from './source.js';

export interface SessionOptions {
  host: ThreadHost;
  threads?: number;
  backend?: BackendName | 'auto';
  /** A GPU worker beside the CPU workers: see MinerOptions.gpu. */
  gpu?: boolean;
  throttle?: number;
  /** Stop after this many finds that count (blocks stored or accepted); 0 or undefined: no limit. */
  blocks?: number;
  /** Stop this many seconds after start(): the wait for a source that does not answer counts too. */
  duration?: number;
  /** Stop when this aborts (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Awaited before the work that follows a find: a printer that cannot keep up (a stdout nobody
   * reads) holds the mining back, rather than let its lines pile up. Resolves when `signal` aborts.
   */
  outputReady?: (signal: AbortSignal) => Promise<void>;
}

export interface Found<W extends Work, R> {
  solution: Solution<W>;
  /** The source's own account: a stored block, the node's verdict, the pool's. */
  result: R;
  outcome: FindOutcome;
  /** Milliseconds the workers took to stop, for a solution that ended its work. */
  stopMs?: number;
  /** The GPU's adapter as it reports itself, when the GPU hashes. */
  adapter: GpuAdapterInfo | null;
}

export interface SessionEvents<W extends Work, R> {
  work: [W];
  found: [Found<W, R>];
  /** A new best of this run. */
  record: [BestHash];
  /** A new best of all runs. */
  best: [BestHash];
  notice: [string];
  warning: [string];
  told: [string];
  workerReplaced: [number];
  /** Every worker has the new work: the milliseconds each went on hashing the old one. */
  switched: [number[]];
}

/** Why a session ended. */
export type StopReason = 'blocks reached' | 'duration reached' | 'interrupted' | 'exhausted' | 'failed';

export interface SessionSummary {
  reason: StopReason;
  /** The failure, when the reason is 'failed'. */
  error?: Error;
  stats: MinerStats;
  /** Every solution handed back; those that count towards --blocks. */
  finds: number;
  counted: number;
  seconds: number;
}

/** The workers' stop, at the end, is awaited this long at most: close() ends them regardless. */
const PAUSE_WAIT_MS = 3_000;

function within(ms: number | undefined, promise: Promise<unknown>): Promise<unknown> {
  if (ms === undefined) return promise;
  return Promise.race([
    promise,
    new Promise((resolve) => (setTimeout(resolve, ms) as { unref?: () => void }).unref?.()),
  ]);
}

export class MiningSession<W extends Work, R> extends Emitter<SessionEvents<W, R>> {
  private readonly stop = new AbortController();
  private reason: StopReason = 'interrupted';
  private error?: Error;
  private readonly inflight = new Set<Promise<void>>();
  private finds = 0;
  private counted = 0;
  private readonly began = performance.now();

  private constructor(
    readonly source: MiningSource<W, R>,
    private readonly miner: Miner<W>,
    private readonly options: SessionOptions,
    /** When start() was called, for --duration. */
    private readonly startedAt: number,
  ) {
    super();
  }

  /** Get the source ready, then start the workers. */
  static async start<W extends Work, R>(
    source: MiningSource<W, R>,
    options: SessionOptions,
  ): Promise<MiningSession<W, R>> {
    const startedAt = performance.now();
    const signal = options.signal ?? new AbortController().signal;
    const deadline = options.duration === undefined ? undefined : AbortSignal.timeout(options.duration * 1000);
    try {
      if (source.prepare && !(await source.prepare(deadline ? AbortSignal.any([signal, deadline]) : signal))) {
        throw deadline?.aborted && !signal.aborted
          ? Errors.network(`stopped (duration reached) before ${source.name} answered`)
          : Errors.interrupted(`stopped (interrupted) before ${source.name} answered`);
      }
      const miner = await Miner.start<W>({
        host: options.host,
        threads: options.threads,
        backend: options.backend,
        gpu: options.gpu,
        throttle: options.throttle,
        best: source.knownBest?.() ?? null,
      });
      return new MiningSession(source, miner, options, startedAt);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  get backend(): BackendName {
    return this.miner.backend;
  }

  get threads(): number {
    return this.miner.threads;
  }

  stats(): MinerStats {
    return this.miner.stats();
  }

  /** End a session that will not run after all (its printers could not start): workers and source closed. */
  async abandon(): Promise<void> {
    await this.source.close();
    await this.miner.close();
  }

  /** Mine until a stop condition; resolves with the summary once every worker is closed. */
  async run(): Promise<SessionSummary> {
    const { miner, source, options } = this;
    const external = options.signal;
    const onExternal = () => this.finish('interrupted');
    if (external?.aborted) onExternal();
    external?.addEventListener('abort', onExternal, { once: true });
    const timer =
      options.duration === undefined
        ? undefined
        : setTimeout(
            () => this.finish('duration reached'),
            Math.max(0, options.duration * 1000 - (performance.now() - this.startedAt)),
          );
    const tooMany = threadsWarning(miner.threads, options.host.defaultThreads);
    if (tooMany) this.emit('warning', tooMany);
    if (miner.gpuNote) this.emit('notice', miner.gpuNote);

    miner.on('found', (solution) => this.onSolution(solution));
    miner.on('exhausted', (work) => source.exhausted?.(work));
    miner.on('record', (best) => this.emit('record', best));
    miner.on('best', (best) => {
      try {
        source.saveBest?.(best);
      } catch (error) {
        this.emit('warning', errorMessage(error));
      }
      this.emit('best', best);
    });
    miner.on('warning', (text) => this.emit('warning', text));
    miner.on('workerReplaced', (index) => this.emit('workerReplaced', index));
    miner.on('switched', (delaysMs) => this.emit('switched', delaysMs));
    miner.on('failed', (error) => this.finish('failed', error));

    const signal = this.stop.signal;
    const sink: WorkSink<W> = {
      work: (work) => {
        if (signal.aborted) return;
        try {
          miner.setWork(work);
        } catch (error) {
          return this.finish('failed', error as Error);
        }
        this.emit('work', work);
      },
      retarget: (work) => {
        if (!signal.aborted) miner.retarget(work);
      },
      pause: () => void miner.pause(),
      notice: (text) => this.emit('notice', text),
      warning: (text) => this.emit('warning', text),
      tell: (text) => this.emit('told', text),
      fail: (error) => this.finish('failed', error),
      exhausted: () => this.finish('exhausted'),
    };
    try {
      if (!signal.aborted) source.open(sink, signal);
      await new Promise<void>((resolve) =>
        signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      // Solutions already on their way get their verdicts, so the summary counts them; a worker slow
      // to stop must not hold the exit either.
      await within(PAUSE_WAIT_MS, miner.pause());
      if (this.inflight.size > 0) await within(source.finalWaitMs, Promise.allSettled([...this.inflight]));
    } finally {
      if (timer) clearTimeout(timer);
      external?.removeEventListener('abort', onExternal);
      await source.close();
      await Promise.allSettled([...this.inflight]);
    }
    const stats = miner.stats();
    await miner.close();
    return {
      reason: this.reason,
      ...(this.error ? { error: this.error } : {}),
      stats,
      finds: this.finds,
      counted: this.counted,
      seconds: (performance.now() - this.began) / 1000,
    };
  }

  /** Stop for this reason, unless already stopping; the first reason is the one reported. */
  private finish(reason: StopReason, error?: Error): void {
    if (this.stop.signal.aborted) return;
    this.reason = reason;
    this.error = error;
    this.stop.abort();
  }

  private onSolution(solution: Solution<W>): void {
    const endsWork = solution.work.stopOnFind;
    const idle = endsWork ? this.miner.whenIdle() : undefined;
    const pending = (async () => {
      const result = await this.source.solve(solution);
      const stopMs = idle ? Math.round((await idle) * 10) / 10 : undefined;
      const outcome = this.source.outcome(result, solution);
      this.finds++;
      if (outcome.counts) this.counted++;
      this.emit('found', {
        solution,
        result,
        outcome,
        ...(stopMs === undefined ? {} : { stopMs }),
        adapter: this.miner.gpu,
      });
      const limit = this.options.blocks ?? 0;
      if (limit > 0 && this.counted >= limit) this.finish('blocks reached');
      else if (endsWork && !this.stop.signal.aborted) {
        await this.options.outputReady?.(this.stop.signal);
        if (!this.stop.signal.aborted) this.source.next(this.stop.signal);
      }
    })().catch((error: Error) => this.finish('failed', error));
    this.inflight.add(pending);
    void pending.finally(() => this.inflight.delete(pending));
  }
}
