/** What a node keeps about one connected peer, and the limits on what a peer may send unasked. */
import type { Socket } from 'node:net';
import { Allowance } from './misbehaviour.js';
import type { PeerSession } from './session.js';
import { MAX_HEADERS } from './wire.js';

/** Blocks asked of one peer and not yet stored; headers past this wait until they are in. */
export const MAX_BLOCKS_IN_FLIGHT = MAX_HEADERS;
/** Blocks a peer may push unasked (neither requested nor announced first) before each one costs it. */
export const UNSOLICITED_BLOCKS = 2;
/** inv items a peer may send in a burst, and per second after: a getblocks answer is 500. */
export const INV_BURST = 5_000;
const INV_PER_SECOND = 1_000;
/** Pings a peer may send in a burst, and per second after (Core pings every two minutes). */
const PING_BURST = 10;
export const PINGS_PER_SECOND = 1;

export interface Peer {
  name: string;
  /** The IP (or host dialled) that scores and bans are kept under. */
  address: string;
  socket: Socket;
  session: PeerSession;
  /** Blocks asked for and not yet received, by id. */
  requested: Set<string>;
  /** Blocks received and queued for the store: a second copy is not asked for. */
  arriving: Set<string>;
  /** Headers were left unasked-for with MAX_BLOCKS_IN_FLIGHT out: ask again once those are in. */
  headersPending: boolean;
  unsolicitedBlocks: number;
  invAllowance: Allowance;
  pingAllowance: Allowance;
  /** The last headers message was short: the peer has no more to tell. */
  headersDone: boolean;
  pings: Map<bigint, () => void>;
  /** Why this node closed the connection, when it did. */
  dropReason?: string;
  handshakeTimer: NodeJS.Timeout;
}

/** A peer just connected: nothing asked, nothing received, its allowances full. */
export function newPeer(
  name: string,
  address: string,
  socket: Socket,
  session: PeerSession,
  handshakeTimer: () => NodeJS.Timeout,
): Peer {
  return {
    name,
    address,
    socket,
    session,
    requested: new Set(),
    arriving: new Set(),
    headersPending: false,
    unsolicitedBlocks: 0,
    invAllowance: new Allowance(INV_BURST, INV_PER_SECOND),
    pingAllowance: new Allowance(PING_BURST, PINGS_PER_SECOND),
    headersDone: false,
    pings: new Map(),
    handshakeTimer: handshakeTimer(),
  };
}
