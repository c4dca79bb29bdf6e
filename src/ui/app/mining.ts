/**
 * The app's mining glue: each task the page runs (mine the chain in this browser, benchmark, search a
 * header's nonces, mine for a pool) as the mining session over the page's threads, its progress told
 * to the views through a small interface. No DOM here.
 */
import { parseHeader, serializeHeader } from '../../core/header.js';
import { bitsToTarget, expectedHashes, targetFromZeroBits } from '../../core/target.js';
import type { BackendName } from '../../hash/backend.js';
import { runBench, type BenchOptions, type BenchReport } from '../../miner/bench.js';
import type { MinerStats } from '../../miner/miner.js';
import type { ThreadHost } from '../../miner/threads.js';
import type { Work } from '../../miner/work.js';
import { MiningSession, type SessionSummary } from '../../mining/session.js';
import { BuiltInChain, type MinedBlock } from '../../sources/chain.js';
import { HeaderGrind } from '../../sources/grind.js';
import { openChainDb } from './chain-db.js';
import { StratumOverWebSocket, type ShareResult } from './pool-join.js';

/** OP_TRUE, as the CLI pays by default: anyone can spend a regtest reward. */
const PAYOUT_SCRIPT = Uint8Array.of(0x51);
const SAMPLE_MS = 500;
const NONCE_SPACE = 2 ** 32;

/** What a running session tells the page. */
export interface RunReport {
  /** The session started on `threads` × `backend`. */
  started: (threads: number, backend: BackendName) => void;
  /** Figures now; `expected`: hashes a find takes on average at the current target. */
  stats: (stats: MinerStats, expected: number) => void;
  warning: (message: string) => void;
}

/** Sample the session's figures every SAMPLE_MS until it ends; the summary, with the last figures shown. */
async function runSampled<W extends Work, R>(
  session: MiningSession<W, R>,
  report: RunReport,
  expected: () => number,
): Promise<SessionSummary> {
  session.on('warning', report.warning);
  report.started(session.threads, session.backend);
  const timer = setInterval(() => report.stats(session.stats(), expected()), SAMPLE_MS);
  try {
    return await session.run();
  } finally {
    clearInterval(timer);
  }
}

/** Mine the chain kept in this browser's IndexedDB, as `powlab mine` mines the built-in chain. */
export async function mineChain(
  host: ThreadHost,
  plan: { zeros: number; blocks: number; threads: number },
  signal: AbortSignal,
  report: RunReport & { found: (block: MinedBlock) => void },
): Promise<SessionSummary> {
  const target = targetFromZeroBits(plan.zeros);
  const storage = await openChainDb(report.warning);
  let chain: BuiltInChain;
  try {
    chain = BuiltInChain.open({
      openStorage: () => storage,
      payoutScript: PAYOUT_SCRIPT,
      target,
      warn: report.warning,
    });
  } catch (error) {
    storage.close();
    throw error;
  }
  const session = await MiningSession.start(chain, {
    host,
    threads: plan.threads,
    backend: 'wasm',
    blocks: plan.blocks,
    signal,
  });
  session.on('found', ({ result }: { result: MinedBlock }) => report.found(result));
  const expected = expectedHashes(chain.target);
  return runSampled(session, report, () => expected);
}

/** Mine for the pool at `url` (its WebSocket endpoint) as `user`, until stopped. */
export async function mineForPool(
  host: ThreadHost,
  plan: { url: string; user: string; threads: number },
  signal: AbortSignal,
  report: RunReport & { share: (result: ShareResult, block: boolean) => void; told: (text: string) => void },
): Promise<SessionSummary> {
  const pool = new StratumOverWebSocket(plan.url, plan.user);
  const session = await MiningSession.start(pool, { host, threads: plan.threads, backend: 'wasm', signal });
  session.on('found', ({ result, outcome }) => report.share(result, outcome.block));
  session.on('notice', report.told);
  session.on('told', report.told);
  return runSampled(session, report, () => session.stats().expectedHashes);
}

/** The benchmark: the wasm core at 1 to `most` threads, then WebGPU (which may be missing: then its error). */
export async function benchmark(
  host: ThreadHost,
  plan: { most: number; seconds: number; rounds: number },
  signal: AbortSignal,
  onRound: BenchOptions['onRound'],
): Promise<{ cpu: BenchReport; gpu: BenchReport | Error }> {
  const options: BenchOptions = {
    host,
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
    threads: Array.from({ length: plan.most }, (_, i) => i + 1),
    seconds: plan.seconds,
    rounds: plan.rounds,
    signal,
    onRound,
  };
  const cpu = await runBench(options);
  let gpu: BenchReport | Error;
  try {
    gpu = await runBench({ ...options, backends: ['webgpu'], threads: [1] });
  } catch (error) {
    gpu = error instanceof Error ? error : new Error(String(error));
  }
  return { cpu, gpu };
}

/** Search `count` nonces of `header` from `start` for one that meets its own bits; undefined when none does. */
export async function searchNonces(
  host: ThreadHost,
  plan: { header: Uint8Array; start: number; count: number; backend: 'wasm' | 'webgpu' },
  signal: AbortSignal,
  started: (threads: number, backend: BackendName, count: number) => void,
): Promise<{ nonce?: number; summary: SessionSummary; backend: BackendName }> {
  const template = { ...parseHeader(plan.header), nonce: 0 };
  const bytes = serializeHeader(template);
  const work = {
    id: 'search',
    target: bitsToTarget(template.bits),
    stopOnFind: true,
    extranonceCount: 1,
    nonceStart: plan.start,
    nonceCount: Math.min(plan.count, NONCE_SPACE - plan.start),
    header: () => bytes,
  };
  const session = await MiningSession.start(new HeaderGrind(work), {
    host,
    backend: plan.backend,
    blocks: 1,
    signal,
  });
  let nonce: number | undefined;
  session.on('found', ({ solution }) => (nonce = solution.nonce));
  started(session.threads, session.backend, work.nonceCount);
  const summary = await session.run();
  return { nonce, summary, backend: session.backend };
}
