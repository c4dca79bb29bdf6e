/**
 * Stratum v1 messages as they come off the wire: JSON-RPC objects, one per line. Everything a pool
 * sends is untrusted, so each field is checked for type, hex and length here, before anything uses it.
 */
import { hexToBytes } from '../../core/bytes.js';
import { Errors } from '../../errors.js';
import { printable } from '../printable.js';

export type MessageId = number | string | null;

export type IncomingMessage =
  /** A request (id set: it wants an answer) or a notification (id null) from the pool. */
  | { kind: 'call'; id: MessageId; method: string; params: unknown[] }
  | { kind: 'response'; id: number | string; result: unknown; error: unknown };

/** A `mining.notify` job, decoded. */
export interface StratumJob {
  jobId: string;
  /** The previous block's hash in internal byte order (Stratum sends it word-swapped). */
  prevHash: Uint8Array;
  /** The coinbase transaction before the extranonces, and after them. */
  coinbase1: Uint8Array;
  coinbase2: Uint8Array;
  /** Sibling hashes from the coinbase up to the merkle root, internal byte order. */
  merkleBranch: Uint8Array[];
  version: number;
  bits: number;
  time: number;
  /** The pool has dropped every earlier job: shares for them would be stale. */
  cleanJobs: boolean;
}

const MAX_JOB_ID_CHARS = 128;
/** The job id is shown in share lines and warnings: printable ASCII only, so it cannot drive the terminal. */
const JOB_ID = new RegExp(`^[\\x20-\\x7e]{1,${MAX_JOB_ID_CHARS}}$`);
/** 2^32 transactions would not fit in a block; a longer branch is nonsense. */
const MAX_MERKLE_BRANCH = 32;
const MAX_EXTRANONCE_BYTES = 32;

/** Parse one line; undefined for anything that is not a JSON-RPC call or response. */
export function parseMessage(line: string): IncomingMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const id = value.id;
  if (id !== undefined && id !== null && typeof id !== 'number' && typeof id !== 'string') return undefined;
  if (typeof value.method === 'string') {
    return {
      kind: 'call',
      id: id ?? null,
      method: value.method,
      params: Array.isArray(value.params) ? value.params : [],
    };
  }
  if (id !== undefined && id !== null && ('result' in value || 'error' in value)) {
    return { kind: 'response', id, result: value.result ?? null, error: value.error ?? null };
  }
  return undefined;
}

/** `mining.notify` params: job_id, prevhash, coinb1, coinb2, merkle_branch, version, nbits, ntime, clean_jobs. */
export function readNotify(params: unknown[]): StratumJob {
  const what = 'mining.notify';
  if (params.length < 9) throw Errors.badData(what, `needs 9 params, got ${params.length}`);
  const [jobId, prevHash, coinbase1, coinbase2, branch, version, bits, time, cleanJobs] = params;
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) {
    throw Errors.badData(what, `job_id must be 1 to ${MAX_JOB_ID_CHARS} printable ASCII characters`);
  }
  if (!Array.isArray(branch) || branch.length > MAX_MERKLE_BRANCH)
    throw Errors.badData(what, `merkle_branch must be a list of at most ${MAX_MERKLE_BRANCH} hashes`);
  if (typeof cleanJobs !== 'boolean') throw Errors.badData(what, 'clean_jobs must be true or false');
  return {
    jobId,
    prevHash: prevHashFromStratum(readHex(prevHash, `${what} prevhash`, { bytes: 32 })),
    coinbase1: readHex(coinbase1, `${what} coinb1`),
    coinbase2: readHex(coinbase2, `${what} coinb2`),
    merkleBranch: branch.map((hash, i) => readHex(hash, `${what} merkle_branch[${i}]`, { bytes: 32 })),
    version: readWord(version, `${what} version`),
    bits: readWord(bits, `${what} nbits`),
    time: readWord(time, `${what} ntime`),
    cleanJobs,
  };
}

/**
 * Stratum's prevhash is the hash's internal bytes with each 4-byte word byte-swapped (as if the
 * hash were eight big-endian words): swap each word back to get the internal byte order.
 */
export function prevHashFromStratum(stratumBytes: Uint8Array): Uint8Array {
  if (stratumBytes.length !== 32) throw new RangeError(`prevhash is 32 bytes, got ${stratumBytes.length}`);
  const internal = new Uint8Array(32);
  for (let word = 0; word < 32; word += 4) for (let i = 0; i < 4; i++) internal[word + i] = stratumBytes[word + 3 - i];
  return internal;
}

/**
 * Far past any share difficulty a pool could mean (Bitcoin's own difficulty is about 2^47): a larger
 * one is a mistake or an attack, and near 2^224 its target would not even exist.
 */
const MAX_DIFFICULTY = 2 ** 64;

/** `mining.set_difficulty` params: [difficulty], a positive number up to MAX_DIFFICULTY. */
export function readDifficulty(params: unknown[]): number {
  const [difficulty] = params;
  if (typeof difficulty !== 'number' || !(difficulty > 0) || !Number.isFinite(difficulty)) {
    throw Errors.badData('mining.set_difficulty', `difficulty must be a positive number, got ${shown(difficulty)}`);
  }
  if (difficulty > MAX_DIFFICULTY)
    throw Errors.badData('mining.set_difficulty', `difficulty must be at most 2^64, got ${shown(difficulty)}`);
  return difficulty;
}

export interface Extranonce {
  extranonce1: Uint8Array;
  extranonce2Size: number;
}

/** The `mining.subscribe` result: [subscriptions, extranonce1, extranonce2_size]. */
export function readSubscribeResult(result: unknown): Extranonce {
  if (!Array.isArray(result) || result.length < 3)
    throw Errors.badData('mining.subscribe result', 'must be [subscriptions, extranonce1, extranonce2_size]');
  return readExtranonce(result[1], result[2], 'mining.subscribe result');
}

/** `mining.set_extranonce` params: [extranonce1, extranonce2_size]. */
export function readSetExtranonce(params: unknown[]): Extranonce {
  return readExtranonce(params[0], params[1], 'mining.set_extranonce');
}

function readExtranonce(extranonce1: unknown, extranonce2Size: unknown, what: string): Extranonce {
  const bytes = readHex(extranonce1, `${what} extranonce1`);
  if (bytes.length > MAX_EXTRANONCE_BYTES)
    throw Errors.badData(what, `extranonce1 longer than ${MAX_EXTRANONCE_BYTES} bytes`);
  if (
    typeof extranonce2Size !== 'number' ||
    !Number.isInteger(extranonce2Size) ||
    extranonce2Size < 0 ||
    extranonce2Size > MAX_EXTRANONCE_BYTES
  ) {
    throw Errors.badData(
      what,
      `extranonce2_size must be a whole number from 0 to ${MAX_EXTRANONCE_BYTES}, got ${shown(extranonce2Size)}`,
    );
  }
  return { extranonce1: bytes, extranonce2Size };
}

/**
 * The `mining.configure` result for version rolling (BIP 310): the mask the pool allows, within the
 * one asked for; null (with why) when the pool said no.
 */
export function readConfigureResult(result: unknown, requestedMask: number): { mask: number } | { refused: string } {
  if (!isRecord(result)) return { refused: 'the pool answered mining.configure without a result' };
  const answer = result['version-rolling'];
  if (answer !== true)
    return {
      refused:
        typeof answer === 'string' ? `the pool said: ${printable(answer)}` : 'the pool does not allow version rolling',
    };
  const mask = readWord(result['version-rolling.mask'], 'mining.configure version-rolling.mask');
  // A pool may not widen the mask beyond what the miner offered.
  const allowed = (mask & requestedMask) >>> 0;
  if (allowed === 0) return { refused: 'the pool allowed no version bits' };
  return { mask: allowed };
}

/** `mining.set_version_mask` params: [mask] (BIP 310), cut to the bits the miner offered, as in mining.configure. */
export function readSetVersionMask(params: unknown[], offeredMask: number): number {
  return (readWord(params[0], 'mining.set_version_mask mask') & offeredMask) >>> 0;
}

export interface Reconnect {
  host?: string;
  port?: number;
  waitSeconds: number;
}

/** `client.reconnect` params: [host, port, wait_seconds], each optional. */
export function readReconnect(params: unknown[]): Reconnect {
  const [host, port, wait] = params;
  const out: Reconnect = { waitSeconds: 0 };
  if (typeof host === 'string' && host !== '') {
    if (host.length > 255 || !/^[A-Za-z0-9.:\-[\]]+$/.test(host))
      throw Errors.badData('client.reconnect', 'host is not a host name or address');
    out.host = host;
  }
  const portNumber = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
  if (portNumber !== undefined && portNumber !== null && portNumber !== '') {
    if (typeof portNumber !== 'number' || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)
      throw Errors.badData('client.reconnect', 'port must be 1 to 65535');
    out.port = portNumber;
  }
  const waitNumber = typeof wait === 'string' && /^\d{1,6}$/.test(wait) ? Number(wait) : wait;
  if (typeof waitNumber === 'number' && Number.isFinite(waitNumber) && waitNumber > 0) out.waitSeconds = waitNumber;
  return out;
}

/** `client.show_message` params: [text]. */
export function readShowMessage(params: unknown[]): string {
  if (typeof params[0] !== 'string') throw Errors.badData('client.show_message', 'the message must be a string');
  return printable(params[0]);
}

/** A pool's error as text: Stratum's [code, message, traceback], an object with a message, or a string. */
export function poolErrorText(error: unknown): string {
  if (Array.isArray(error) && typeof error[1] === 'string')
    return printable(`${error[1]}${typeof error[0] === 'number' ? ` (${error[0]})` : ''}`);
  if (isRecord(error) && typeof error.message === 'string')
    return printable(`${error.message}${typeof error.code === 'number' ? ` (${error.code})` : ''}`);
  if (typeof error === 'string') return printable(error);
  return 'no reason given';
}

/** Hex text of whole bytes (exactly `bytes` of them when given). */
function readHex(value: unknown, what: string, options: { bytes?: number } = {}): Uint8Array {
  if (typeof value !== 'string') throw Errors.badData(what, `must be hex text, got ${shown(value)}`);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(value)) throw Errors.badData(what, 'must be whole bytes of hex');
  if (options.bytes !== undefined && value.length !== options.bytes * 2)
    throw Errors.badData(
      what,
      `must be ${options.bytes} bytes (${options.bytes * 2} hex digits), got ${value.length} digits`,
    );
  // No Buffer: the browser's pool miner (src/ui/app/pool-join.ts) reads these messages too.
  return hexToBytes(value, what);
}

/** A 32-bit value sent as 8 hex digits, most significant first (version, nbits, ntime, masks). */
function readWord(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{8}$/.test(value))
    throw Errors.badData(what, `must be 8 hex digits, got ${shown(value)}`);
  return parseInt(value, 16) >>> 0;
}

/** A 32-bit value as Stratum writes it: 8 hex digits, most significant first. */
export function wordToHex(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return printable(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
