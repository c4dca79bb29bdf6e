/**
 * Hashrate from shared progress counters: a moving average over the last few seconds and the lifetime
 * mean, total and per worker. Sampling reads memory only, so it costs the workers nothing.
 */

interface Sample {
  at: number;
  total: number;
  perWorker: number[];
}

export interface RateReading {
  hashes: number;
  hashrate: number;
  meanHashrate: number;
  perWorker: { hashes: number; hashrate: number }[];
  elapsedSeconds: number;
}

export class HashrateMeter {
  private samples: Sample[] = [];
  private readonly startedAt: number;

  constructor(
    private readonly read: () => number[],
    private readonly windowMs = 5000,
  ) {
    this.startedAt = performance.now();
    this.samples.push({ at: this.startedAt, total: 0, perWorker: read().map(() => 0) });
  }

  /** Record a sample; call a few times a second. */
  sample(): Sample {
    const perWorker = this.read();
    const sample = { at: performance.now(), total: perWorker.reduce((a, b) => a + b, 0), perWorker };
    this.samples.push(sample);
    while (this.samples.length > 2 && sample.at - this.samples[1].at >= this.windowMs) this.samples.shift();
    return sample;
  }

  reading(): RateReading {
    const now = this.sample();
    const oldest = this.samples[0];
    const seconds = (now.at - oldest.at) / 1000;
    const elapsedSeconds = (now.at - this.startedAt) / 1000;
    const rate = (later: number, earlier: number) => (seconds > 0 ? (later - earlier) / seconds : 0);
    return {
      hashes: now.total,
      hashrate: rate(now.total, oldest.total),
      meanHashrate: elapsedSeconds > 0 ? now.total / elapsedSeconds : 0,
      perWorker: now.perWorker.map((hashes, i) => ({ hashes, hashrate: rate(hashes, oldest.perWorker[i] ?? 0) })),
      elapsedSeconds,
    };
  }
}
