/**
 * The addresses a node knows, for `getaddr`/`addr` (https://developer.bitcoin.org/reference/p2p_networking.html#addr):
 * the peers it dialled, and what peers told it. Bounded, so that addr floods cost a peer nothing it can grow.
 */
import { isIPv4 } from 'node:net';
import { ipv4Mapped, MAX_ADDR, SERVICES, type NetAddress } from './wire.js';

/** At most this many addresses are kept; the oldest makes room. */
const MAX_KNOWN = 1_000;

type TimedAddress = NetAddress & { time: number };

interface Entry {
  address: TimedAddress;
  /** Told by a peer in `addr`, rather than dialled by this node. */
  learned: boolean;
}

/** "a.b.c.d:port" for an IPv4-mapped address, "[v6]:port" for the rest. */
function addressName(address: NetAddress): string {
  const ip = address.ip;
  const mapped = ip.subarray(0, 10).every((byte) => byte === 0) && ip[10] === 0xff && ip[11] === 0xff;
  if (mapped) return `${ip.subarray(12).join('.')}:${address.port}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((ip[2 * i] << 8) | ip[2 * i + 1]).toString(16));
  return `[${groups.join(':')}]:${address.port}`;
}

export class AddressBook {
  private readonly entries = new Map<string, Entry>();

  /** A peer this node dialled; only an IPv4 host can be told to others in addr's 16 bytes. */
  dialled(host: string, port: number, nowSeconds: number): void {
    if (!isIPv4(host)) return;
    this.put({ services: SERVICES, ip: ipv4Mapped(host), port, time: nowSeconds }, false);
  }

  /** Addresses a peer sent; port 0 is nowhere to connect to. */
  learn(addresses: TimedAddress[]): void {
    for (const address of addresses) if (address.port !== 0) this.put(address, true);
  }

  private put(address: TimedAddress, learned: boolean): void {
    const name = addressName(address);
    const known = this.entries.get(name);
    this.entries.delete(name);
    // A dialled address stays dialled when a peer repeats it.
    this.entries.set(name, { address, learned: learned && (known?.learned ?? true) });
    if (this.entries.size > MAX_KNOWN) this.entries.delete(this.entries.keys().next().value!);
  }

  /** What to answer getaddr with: every address but the asker's own, at most addr's limit. */
  forPeer(asker: string): TimedAddress[] {
    const answer: TimedAddress[] = [];
    for (const [name, entry] of this.entries) {
      if (name === asker) continue;
      answer.push(entry.address);
      if (answer.length === MAX_ADDR) break;
    }
    return answer;
  }

  /** The addresses peers told this node of, as host:port. */
  get learned(): string[] {
    return [...this.entries].filter(([, entry]) => entry.learned).map(([name]) => name);
  }
}
