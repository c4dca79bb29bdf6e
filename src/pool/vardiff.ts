/**
 * Variable share difficulty for one miner: aim for one share every `shareSeconds`. The rate is
 * measured over a window of shares (or of time, when shares are scarce), and the difficulty moves
 * only when the estimate is well away from the current one, since shares arrive as a Poisson
 * process and a handful of them is a noisy measure. Pure: the clock is passed in.
 */

export interface VardiffOptions {
  /** The share interval to aim for, seconds. */
  shareSeconds: number;
  minDifficulty: number;
  maxDifficulty: number;
  startDifficulty: number;
}

/** Shares in a window before the rate is judged from them. */
const WINDOW_SHARES = 6;
/** Without that many shares, the rate is judged after this many share intervals (to lower a difficulty too high). */
const WINDOW_INTERVALS = 4;
/** Estimates within this factor of the current difficulty leave it alone. */
const DEADBAND = 1.5;

export class Vardiff {
  difficulty: number;
  /** A miner's suggest_difficulty: vardiff never goes below it (unless the ceiling is lower). */
  private floor: number;
  /** The block's share of the cap: a share difficulty near the block's would make every share a block. */
  private ceiling = Infinity;
  private windowStartMs: number;
  private windowShares = 0;
  private windowDifficulty = 0;

  constructor(
    private readonly options: VardiffOptions,
    nowMs: number,
  ) {
    this.floor = options.minDifficulty;
    this.difficulty = this.clamp(options.startDifficulty);
    this.windowStartMs = nowMs;
  }

  /** An accepted share at `difficulty`; the new difficulty when it should change. */
  share(difficulty: number, nowMs: number): number | undefined {
    this.windowShares++;
    this.windowDifficulty += difficulty;
    return this.windowShares >= WINDOW_SHARES ? this.retarget(nowMs) : undefined;
  }

  /** Called now and then: a miner too slow for its difficulty sends no shares to judge it by. */
  tick(nowMs: number): number | undefined {
    const elapsedMs = nowMs - this.windowStartMs;
    return elapsedMs >= WINDOW_INTERVALS * this.options.shareSeconds * 1000 ? this.retarget(nowMs) : undefined;
  }

  /** mining.suggest_difficulty: start there, and stay at or above it (within the pool's bounds). */
  suggest(difficulty: number, nowMs: number): number {
    this.floor = Math.min(Math.max(difficulty, this.options.minDifficulty), this.options.maxDifficulty);
    this.difficulty = this.clamp(difficulty);
    this.reset(nowMs);
    return this.difficulty;
  }

  /** Never above `difficulty` (besides the pool's maximum); the new difficulty. */
  limit(difficulty: number): number {
    this.ceiling = difficulty;
    this.difficulty = this.clamp(this.difficulty);
    return this.difficulty;
  }

  /** Measure afresh from now (the first job goes out). */
  restart(nowMs: number): void {
    this.reset(nowMs);
  }

  private retarget(nowMs: number): number | undefined {
    const seconds = Math.max((nowMs - this.windowStartMs) / 1000, 0.001);
    // No share at all in the window: at most one was due, so the rate is at most one per window.
    const work = Math.max(this.windowDifficulty, this.windowShares === 0 ? this.difficulty : 0);
    const wanted = this.clamp(round((work / seconds) * this.options.shareSeconds));
    this.reset(nowMs);
    const ratio = wanted / this.difficulty;
    if (ratio < DEADBAND && ratio > 1 / DEADBAND) return undefined;
    this.difficulty = wanted;
    return wanted;
  }

  private reset(nowMs: number): void {
    this.windowStartMs = nowMs;
    this.windowShares = 0;
    this.windowDifficulty = 0;
  }

  private clamp(difficulty: number): number {
    return Math.min(Math.max(difficulty, this.floor), this.options.maxDifficulty, this.ceiling);
  }
}

/** Three significant figures: a difficulty a person can read and compare. */
function round(difficulty: number): number {
  return Number(difficulty.toPrecision(3));
}
