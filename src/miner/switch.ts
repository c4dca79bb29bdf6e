/**
 * How long each worker went on hashing the old work after new work was set: the time it spent on
 * work already stale, from setWork to the worker's first range of the new work.
 */
export class WorkSwitch<W> {
  private work?: W;
  private began = 0;
  private delaysMs: (number | undefined)[] = [];

  /** `switched` is called once every worker has a range of the new work, with each one's delay. */
  constructor(private readonly switched: (delaysMs: number[]) => void) {}

  begin(work: W, at: number, workers: number): void {
    this.work = work;
    this.began = at;
    this.delaysMs = Array<number | undefined>(workers).fill(undefined);
  }

  /** Worker `index` was handed a range of `work`. */
  dispatched(index: number, work: W): void {
    if (work !== this.work || this.delaysMs[index] !== undefined) return;
    this.delaysMs[index] = performance.now() - this.began;
    if (this.delaysMs.every((delay) => delay !== undefined)) {
      this.work = undefined;
      this.switched(this.delaysMs);
    }
  }
}
