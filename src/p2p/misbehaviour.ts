/**
 * Misbehaviour scores and bans, after Bitcoin Core's (net_processing's Misbehaving): each offence adds
 * points to the sender's address; at BAN_SCORE the peer is disconnected and its address refused for a
 * while. Scores are kept per address, not per connection, so reconnecting does not wipe the slate.
 */

/** The score at which an address is banned (Core's DISCOURAGEMENT_THRESHOLD). */
const BAN_SCORE = 100;
/** How long a ban lasts. */
export const BAN_MS = 10 * 60_000;
/** At most this many addresses are scored or banned at once; the oldest entry makes room. */
const MAX_TRACKED = 1_000;

/** Points per kind of offence: a proven lie bans at once, a broken frame costs half, noise costs little. */
export const PENALTY = {
  /** A header or block that fails its checks: the peer is lying about work. */
  invalid: BAN_SCORE,
  /** Wrong magic, bad checksum, oversize or undecodable payload, a protocol step out of order. */
  broken: 50,
  /** Blocks, inv or pings beyond what a well-behaved peer sends. */
  flood: 10,
  /** A message powlab does not speak. */
  unknown: 1,
} as const;

/** What Bitcoin Core and bcoin send unprompted after the handshake that powlab does not speak: free. */
const KNOWN_UNSPOKEN = new Set(['sendcmpct', 'feefilter', 'sendaddrv2', 'wtxidrelay', 'addrv2', 'tx']);

/** Points for a message powlab does not speak. */
export function penaltyForUnknown(command: string): number {
  return KNOWN_UNSPOKEN.has(command) ? 0 : PENALTY.unknown;
}

/** Points for a drop code from the wire or the session: a peer too old or ourselves is no offence. */
export function penaltyFor(code: string): number {
  if (code === 'self' || code === 'old-version') return 0;
  if (code === 'bad-pow' || code === 'bad-block') return PENALTY.invalid;
  return PENALTY.broken;
}

/** A map that forgets its oldest entry past MAX_TRACKED: a peer cannot grow it without bound. */
function bounded<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
}

export class Misbehaviour {
  private readonly scores = new Map<string, number>();
  /** Banned address → when the ban ends (ms since 1970). */
  private readonly bans = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Add `points` to `address`; true when that bans it. */
  add(address: string, points: number): boolean {
    if (points <= 0) return false;
    const score = (this.scores.get(address) ?? 0) + points;
    if (score < BAN_SCORE) {
      bounded(this.scores, address, score);
      return false;
    }
    this.scores.delete(address);
    bounded(this.bans, address, this.now() + BAN_MS);
    return true;
  }

  /** Whether `address` is banned now; an ended ban is forgotten. */
  banned(address: string): boolean {
    const until = this.bans.get(address);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.bans.delete(address);
    return false;
  }
}

/**
 * A token bucket: `burst` at once, refilled at `perSecond`. Counts what a peer sends unasked, so that
 * bursts pass and floods do not.
 */
export class Allowance {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Spend `count`; false when that is more than is left. */
  take(count = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (count > this.tokens) return false;
    this.tokens -= count;
    return true;
  }
}
