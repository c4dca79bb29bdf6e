/** One header and a range of its nonces as a mining source: `powlab grind`, a search that ends. */
import type { Solution, Work } from '../miner/work.js';
import type { FindOutcome, MiningSource, WorkSink } from '../mining/source.js';

export class HeaderGrind implements MiningSource<Work, Solution> {
  readonly name = 'one header';
  readonly finds = 'block';
  private sink?: WorkSink<Work>;

  constructor(private readonly work: Work) {}

  label(): string {
    return 'grind';
  }

  open(sink: WorkSink<Work>): void {
    this.sink = sink;
    sink.work(this.work);
  }

  async solve(solution: Solution): Promise<Solution> {
    return solution;
  }

  outcome(): FindOutcome {
    return { kind: 'block', block: true, counts: true };
  }

  next(): void {
    // One find is all a grind asks for.
  }

  exhausted(): void {
    this.sink?.exhausted();
  }

  close(): void {}
}
