/** The one session loop, driven by a small in-memory source over real worker threads. */
import { describe, expect, it } from 'vitest';
import { unsolvableWork } from '../../src/miner/measure.js';
import type { Solution, Work } from '../../src/miner/work.js';
import { MiningSession, type Found } from '../../src/mining/session.js';
import type { FindOutcome, MiningSource, WorkSink } from '../../src/mining/source.js';
import { builtThreads } from '../helpers/built.js';
import { targetFromZeroBits } from '../../src/core/target.js';

interface Calls {
  opened: number;
  solved: number[];
  nexts: number;
  closed: number;
}

/** Work at 8 zero bits (found at once), a fresh header per piece so each find is its own. */
function easySource(): MiningSource<Work, number> & { calls: Calls; sink?: WorkSink<Work> } {
  let pieces = 0;
  const piece = (): Work => {
    const n = pieces++;
    return {
      id: `piece-${n}`,
      target: targetFromZeroBits(8),
      stopOnFind: true,
      extranonceCount: 1,
      header: () => new Uint8Array(80).fill(n + 1),
    };
  };
  const source = {
    name: 'a test source',
    finds: 'block' as const,
    calls: { opened: 0, solved: [] as number[], nexts: 0, closed: 0 },
    sink: undefined as WorkSink<Work> | undefined,
    label: () => 'test',
    open(sink: WorkSink<Work>) {
      source.calls.opened++;
      source.sink = sink;
      sink.work(piece());
    },
    async solve(solution: Solution<Work>) {
      source.calls.solved.push(solution.nonce);
      return source.calls.solved.length;
    },
    outcome: (): FindOutcome => ({ kind: 'block', block: true, counts: true }),
    next() {
      source.calls.nexts++;
      source.sink!.work(piece());
    },
    close() {
      source.calls.closed++;
    },
  };
  return source;
}

const engine = { host: builtThreads(), threads: 2, backend: 'js' as const };

describe('MiningSession', () => {
  it('stops after --blocks finds that count, asking for the next work after each but the last', async () => {
    const source = easySource();
    const session = await MiningSession.start(source, { ...engine, blocks: 3 });
    const found: Found<Work, number>[] = [];
    session.on('found', (find) => found.push(find));
    const summary = await session.run();
    expect(summary.reason).toBe('blocks reached');
    expect(summary.counted).toBe(3);
    expect(found.map((find) => find.result)).toEqual([1, 2, 3]);
    expect(found.every((find) => typeof find.stopMs === 'number')).toBe(true);
    expect(source.calls).toMatchObject({ opened: 1, nexts: 2, closed: 1 });
  });

  it('stops at --duration on work that never ends, and says so', async () => {
    const source = { ...easySource(), open: (sink: WorkSink<Work>) => sink.work(unsolvableWork()) };
    const session = await MiningSession.start(source, { ...engine, duration: 0.3 });
    const summary = await session.run();
    expect(summary.reason).toBe('duration reached');
    expect(summary.finds).toBe(0);
    // How many hashes fit in the duration is the machine's business (none, on a busy one); that they add up is not.
    expect(summary.stats.workers.reduce((sum, worker) => sum + worker.hashes, 0)).toBe(summary.stats.hashes);
  });

  it('stops when the signal aborts (Ctrl-C), and when the source fails, with its error', async () => {
    const controller = new AbortController();
    const quiet = { ...easySource(), open: (sink: WorkSink<Work>) => sink.work(unsolvableWork()) };
    const interrupted = await MiningSession.start(quiet, { ...engine, signal: controller.signal });
    const running = interrupted.run();
    controller.abort();
    expect((await running).reason).toBe('interrupted');

    const failing = {
      ...easySource(),
      // Once open has returned, as a node's connection drops later.
      open: (sink: WorkSink<Work>) => void setImmediate(() => sink.fail(new Error('the node went away'))),
    };
    const failed = await (await MiningSession.start(failing, engine)).run();
    expect(failed.reason).toBe('failed');
    expect(failed.error?.message).toBe('the node went away');
  });

  it('ends when a source with nothing more to offer says its work is exhausted', async () => {
    const source = easySource();
    const work: Work = { ...unsolvableWork(), extranonceCount: 1, nonceCount: 50_000 };
    const grind = {
      ...source,
      open: (sink: WorkSink<Work>) => ((source.sink = sink), sink.work(work)),
      exhausted: () => source.sink!.exhausted(),
    };
    const summary = await (await MiningSession.start(grind, engine)).run();
    expect(summary.reason).toBe('exhausted');
    expect(summary.stats.workHashes).toBe(50_000);
  });

  it('a source that cannot get ready is closed, and no worker starts', async () => {
    const source = { ...easySource(), prepare: async () => false };
    await expect(MiningSession.start(source, engine)).rejects.toThrow(
      /stopped \(interrupted\) before a test source answered/,
    );
    expect(source.calls).toMatchObject({ opened: 0, closed: 1 });
  });
});
