/**
 * What the page runs one at a time (mining, joining a pool, a benchmark, a nonce search): each gets
 * an AbortSignal that the Stop button, Escape and closing the page stop, and the page's buttons are
 * disabled while one runs. One helper for every task, so each is started and stopped the same way.
 */
export class Busy {
  private running?: AbortController;

  /** `changed` is told when a task starts (true) and ends (false). */
  constructor(private readonly changed: (busy: boolean) => void) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Run `task` unless one runs already (then nothing happens). */
  async run(task: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.running) return;
    const stop = new AbortController();
    this.running = stop;
    this.changed(true);
    try {
      await task(stop.signal);
    } finally {
      this.running = undefined;
      this.changed(false);
    }
  }

  stop(): void {
    this.running?.abort();
  }
}
