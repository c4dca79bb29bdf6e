/**
 * A Stratum v1 pool for tests, written from the protocol's public descriptions (slush pool's
 * "Stratum mining protocol" page and BIP 310), not from powlab's client, and sharing no code with
 * it: hashing is node:crypto, the merkle tree and header are built here.
 *
 * It makes jobs the way a pool does (a BIP 34 coinbase split around the extranonces, a merkle branch
 * over made-up transactions, the previous hash in Stratum's word-swapped order) and re-derives
 * every share from the job it sent: coinbase, merkle root (from the whole tree, not the branch),
 * header, double SHA-256, compared with the share target of the job's difficulty. Each clean_jobs
 * notify is followed by a mining.ping, so the pool knows whether a stale share was sent before the
 * client had read the notify (a race) or after (a client that kept mining dropped work).
 *
 * Modes: 'normal'; 'junk' (junk lines, unknown methods, a bad notify, once an oversized line);
 * 'drop' (hangs up after every 2nd accepted share); 'stall' (answers the handshake, sends one job,
 * then says nothing).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

export type PoolMode = 'normal' | 'junk' | 'drop' | 'stall';

export interface PoolOptions {
  mode?: PoolMode;
  /** Share difficulty sent with mining.set_difficulty at subscribe time. */
  difficulty?: number;
  /** nbits of every job, 8 hex digits. The default is a mainnet-like target no test share meets. */
  nbits?: string;
  /** A new job this often; every `cleanEvery`-th one says clean_jobs. */
  jobIntervalMs?: number;
  cleanEvery?: number;
  extranonce2Size?: number;
  /** The version bits this pool lets miners roll (BIP 310). */
  serverVersionMask?: number;
  /** When set, mining.authorize succeeds only with this password. */
  password?: string;
  /** Called when a share that is also a block arrives, before the pool answers it. */
  onBlock?: (share: ShareRecord) => void;
  /** Listen on this port (default: any free one). */
  port?: number;
}

export interface ShareRecord {
  connection: number;
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
  /** The header version the pool derived (BIP 310 when version bits came with the share). */
  version: number;
  /** The block hash the pool computed, display order. */
  hash: string;
  accepted: boolean;
  reason?: string;
  block: boolean;
  /** For a share of a job a clean_jobs notify dropped: sent before the client answered the ping after that notify, so before it could know. */
  raced?: boolean;
}

export interface TranscriptLine {
  from: 'pool' | 'client';
  line: string;
}

export interface ConnectionRecord {
  id: number;
  userAgent?: string;
  user?: string;
  versionMask?: number;
  suggestedDifficulty?: number;
  /** Answers to the pool's own requests, by method (mining.ping, client.get_version). */
  answers: Record<string, unknown>;
  transcript: TranscriptLine[];
  closedByPool?: string;
}

interface Job {
  id: string;
  prevHashInternal: Buffer;
  coinbase1: Buffer;
  coinbase2: Buffer;
  /** txids of the block's other transactions, internal order. */
  txids: Buffer[];
  version: number;
  nbits: number;
  ntime: number;
  difficulty: number;
  extranonce1: Buffer;
}

interface Connection {
  record: ConnectionRecord;
  socket: Socket;
  buffer: string;
  extranonce1: Buffer;
  difficulty: number;
  subscribed: boolean;
  authorizedUser?: string;
  versionMask?: number;
  jobs: Map<string, Job>;
  /** Jobs dropped by a clean_jobs notify, with the id of the mining.ping sent right after it. */
  cleanedJobs: Map<string, number>;
  /** Ids of the pool's requests the client has answered. */
  answeredRequests: Set<number>;
  seen: Set<string>;
  acceptedShares: number;
  nextPoolRequestId: number;
  pendingPoolRequests: Map<number, string>;
  extrasSent: boolean;
}

const DIFF1 = 0xffffn << 208n;
const OVERSIZED_LINE_BYTES = 200 * 1024;

function sha256d(data: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}

/** A 256-bit number from bytes stored least significant first (a hash in internal order). */
function littleEndianToBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
}

/** The share target of a difficulty, exactly: diff-1 target × 2^-exponent / mantissa of the double. */
export function shareTarget(difficulty: number): bigint {
  let mantissa = difficulty;
  let exponent = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2;
    exponent++;
  }
  return (DIFF1 << BigInt(exponent)) / BigInt(mantissa);
}

/** A compact nbits field to the target it encodes (positive, in-range values only, as a test pool sends). */
function nbitsTarget(nbits: number): bigint {
  const exponent = nbits >>> 24;
  const mantissa = BigInt(nbits & 0x007fffff);
  return exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3));
}

/** The merkle root of txids (internal order): pair and hash level by level, an odd last one paired with itself. */
function merkleRootOf(txids: Buffer[]): Buffer {
  let level = txids;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256d(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0];
}

/** The hashes a miner needs to climb from the coinbase (leaf 0) to the root. */
function coinbaseBranch(otherTxids: Buffer[]): Buffer[] {
  const branch: Buffer[] = [];
  let level = [Buffer.alloc(32), ...otherTxids];
  while (level.length > 1) {
    branch.push(level[1] ?? level[0]);
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256d(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return branch;
}

/** Stratum sends the previous hash as eight 4-byte words, each byte-swapped from internal order. */
function stratumPrevHash(internal: Buffer): string {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 4) out.writeUInt32BE(internal.readUInt32LE(i), i);
  return out.toString('hex');
}

/** Script push of a small number as BIP 34 wants the height: minimal little-endian bytes. */
function heightPush(height: number): Buffer {
  const bytes: number[] = [];
  for (let h = height; h > 0; h = Math.floor(h / 256)) bytes.push(h & 0xff);
  if (bytes[bytes.length - 1] & 0x80) bytes.push(0);
  return Buffer.from([bytes.length, ...bytes]);
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

export class TestPool {
  readonly connections: ConnectionRecord[] = [];
  readonly shares: ShareRecord[] = [];
  private readonly live = new Set<Connection>();
  private readonly options: Required<Omit<PoolOptions, 'password' | 'onBlock' | 'port'>> &
    Pick<PoolOptions, 'password' | 'onBlock'>;
  private jobTimer?: NodeJS.Timeout;
  private jobCounter = 0;
  private oversizedSent = false;
  private nextExtranonce1 = 0x1000;

  private constructor(
    private readonly server: Server,
    options: PoolOptions,
  ) {
    this.options = {
      mode: 'normal',
      difficulty: 0.0002,
      nbits: '17034219',
      jobIntervalMs: 2000,
      cleanEvery: 2,
      extranonce2Size: 4,
      serverVersionMask: 0x1fffe000,
      ...options,
    };
  }

  static async start(options: PoolOptions = {}): Promise<TestPool> {
    const server = createServer();
    const pool = new TestPool(server, options);
    server.on('connection', (socket) => pool.accept(socket));
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    pool.jobTimer = setInterval(() => pool.broadcastJob(), pool.options.jobIntervalMs);
    return pool;
  }

  get port(): number {
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('pool not listening');
    return address.port;
  }

  get url(): string {
    return `stratum+tcp://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    clearInterval(this.jobTimer);
    for (const connection of this.live) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const record: ConnectionRecord = { id: this.connections.length + 1, answers: {}, transcript: [] };
    this.connections.push(record);
    const extranonce1 = Buffer.alloc(4);
    extranonce1.writeUInt32BE(this.nextExtranonce1++);
    const connection: Connection = {
      record,
      socket,
      buffer: '',
      extranonce1,
      difficulty: this.options.difficulty,
      subscribed: false,
      jobs: new Map(),
      cleanedJobs: new Map(),
      answeredRequests: new Set(),
      seen: new Set(),
      acceptedShares: 0,
      nextPoolRequestId: 1,
      pendingPoolRequests: new Map(),
      extrasSent: false,
    };
    this.live.add(connection);
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      connection.buffer += text;
      let newline: number;
      while ((newline = connection.buffer.indexOf('\n')) !== -1) {
        const line = connection.buffer.slice(0, newline).trim();
        connection.buffer = connection.buffer.slice(newline + 1);
        if (line) this.onLine(connection, line);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.live.delete(connection));
  }

  private send(connection: Connection, message: unknown): void {
    const line = typeof message === 'string' ? message : JSON.stringify(message);
    if (connection.socket.destroyed) return;
    connection.record.transcript.push({ from: 'pool', line });
    connection.socket.write(`${line}\n`);
  }

  private hangUp(connection: Connection, why: string): void {
    connection.record.closedByPool = why;
    // end() sends what is queued (the last answer) before closing; destroy() is the fallback for a client that lingers.
    connection.socket.end();
    setTimeout(() => connection.socket.destroy(), 1000).unref();
  }

  private onLine(connection: Connection, line: string): void {
    // After hanging up, the pool reads nothing more: a share sent meanwhile is lost, as with a real pool.
    if (connection.record.closedByPool) return;
    connection.record.transcript.push({ from: 'client', line });
    let message: { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    try {
      message = JSON.parse(line);
    } catch {
      return this.hangUp(connection, `unparseable line from the client: ${line.slice(0, 80)}`);
    }
    if (typeof message.method !== 'string') return this.onAnswer(connection, message);
    const params = Array.isArray(message.params) ? message.params : [];
    const reply = (result: unknown, error: unknown = null) => this.send(connection, { id: message.id, result, error });
    switch (message.method) {
      case 'mining.configure': {
        const [extensions, parameters] = params as [unknown, Record<string, unknown> | undefined];
        if (!Array.isArray(extensions) || !extensions.includes('version-rolling')) return reply({});
        const requested = parameters?.['version-rolling.mask'];
        const minerMask = parseInt(typeof requested === 'string' ? requested : 'ffffffff', 16);
        connection.versionMask = (minerMask & this.options.serverVersionMask) >>> 0;
        connection.record.versionMask = connection.versionMask;
        return reply({ 'version-rolling': true, 'version-rolling.mask': hex8(connection.versionMask) });
      }
      case 'mining.subscribe': {
        connection.subscribed = true;
        connection.record.userAgent = typeof params[0] === 'string' ? params[0] : undefined;
        reply([
          [
            ['mining.set_difficulty', `d${connection.record.id}`],
            ['mining.notify', `n${connection.record.id}`],
          ],
          connection.extranonce1.toString('hex'),
          this.options.extranonce2Size,
        ]);
        this.send(connection, { id: null, method: 'mining.set_difficulty', params: [connection.difficulty] });
        if (this.options.mode === 'junk') this.sendJunk(connection);
        this.sendJob(connection, this.makeJob(connection), true);
        return;
      }
      case 'mining.authorize': {
        const [user, password] = params;
        if (typeof user !== 'string' || (this.options.password !== undefined && password !== this.options.password))
          return reply(false, [24, 'Unauthorized worker', null]);
        connection.authorizedUser = user;
        connection.record.user = user;
        return reply(true);
      }
      case 'mining.suggest_difficulty': {
        const [difficulty] = params;
        if (typeof difficulty !== 'number' || !(difficulty > 0)) return reply(false, [20, 'Bad difficulty', null]);
        connection.record.suggestedDifficulty = difficulty;
        connection.difficulty = difficulty;
        reply(true);
        this.send(connection, { id: null, method: 'mining.set_difficulty', params: [difficulty] });
        this.sendJob(connection, this.makeJob(connection), true);
        return;
      }
      case 'mining.extranonce.subscribe':
        return reply(true);
      case 'mining.submit':
        return this.onSubmit(connection, params, reply);
      default:
        return reply(null, [20, 'Unknown method', null]);
    }
  }

  /** The client's answer to a request of ours (mining.ping, client.get_version). */
  private onAnswer(connection: Connection, message: { id?: unknown; result?: unknown }): void {
    const method = typeof message.id === 'number' ? connection.pendingPoolRequests.get(message.id) : undefined;
    if (!method) return;
    connection.record.answers[method] = message.result;
    connection.answeredRequests.add(message.id as number);
  }

  private onSubmit(connection: Connection, params: unknown[], reply: (result: unknown, error?: unknown) => void): void {
    const reject = (code: number, reason: string, record?: Omit<ShareRecord, 'accepted' | 'reason'>) => {
      if (record) this.shares.push({ ...record, accepted: false, reason });
      reply(null, [code, reason, null]);
    };
    if (!connection.authorizedUser || params[0] !== connection.authorizedUser) return reject(24, 'Unauthorized worker');
    const [, jobId, extranonce2, ntime, nonce, versionBits] = params;
    if (
      typeof jobId !== 'string' ||
      typeof extranonce2 !== 'string' ||
      typeof ntime !== 'string' ||
      typeof nonce !== 'string'
    )
      return reject(20, 'Malformed share');
    if (!new RegExp(`^[0-9a-f]{${2 * this.options.extranonce2Size}}$`).test(extranonce2))
      return reject(20, 'Bad extranonce2 size');
    if (!/^[0-9a-f]{8}$/.test(ntime) || !/^[0-9a-f]{8}$/.test(nonce)) return reject(20, 'Bad ntime or nonce');
    const job = connection.jobs.get(jobId);
    if (!job) {
      const cleanedBy = connection.cleanedJobs.get(jobId);
      const raced = cleanedBy !== undefined && !connection.answeredRequests.has(cleanedBy);
      this.shares.push({
        connection: connection.record.id,
        jobId,
        extranonce2,
        ntime,
        nonce,
        ...(typeof versionBits === 'string' ? { versionBits } : {}),
        version: 0,
        hash: '',
        accepted: false,
        reason: 'Job not found (=stale)',
        block: false,
        raced,
      });
      return reply(null, [21, 'Job not found (=stale)', null]);
    }
    let version = job.version;
    if (connection.versionMask !== undefined) {
      if (typeof versionBits !== 'string' || !/^[0-9a-f]{8}$/.test(versionBits))
        return reject(20, 'Missing version bits');
      const bits = parseInt(versionBits, 16);
      if ((bits & ~connection.versionMask) !== 0) return reject(20, 'Version bits outside the mask');
      version = ((job.version & ~connection.versionMask) | (bits & connection.versionMask)) >>> 0;
    } else if (params.length > 5) {
      return reject(20, 'Version bits without version rolling');
    }
    const time = parseInt(ntime, 16);
    if (time < job.ntime || time > job.ntime + 7200) return reject(20, 'ntime out of range');

    const coinbase = Buffer.concat([job.coinbase1, job.extranonce1, Buffer.from(extranonce2, 'hex'), job.coinbase2]);
    const root = merkleRootOf([sha256d(coinbase), ...job.txids]);
    const header = Buffer.alloc(80);
    header.writeUInt32LE(version, 0);
    job.prevHashInternal.copy(header, 4);
    root.copy(header, 36);
    header.writeUInt32LE(time, 68);
    header.writeUInt32LE(job.nbits, 72);
    header.writeUInt32LE(parseInt(nonce, 16), 76);
    const hash = sha256d(header);
    const value = littleEndianToBigInt(hash);
    const record = {
      connection: connection.record.id,
      jobId,
      extranonce2,
      ntime,
      nonce,
      ...(typeof versionBits === 'string' ? { versionBits } : {}),
      version,
      hash: Buffer.from(hash).reverse().toString('hex'),
      block: value <= nbitsTarget(job.nbits),
    };
    const key = `${jobId}/${extranonce2}/${ntime}/${nonce}/${version}`;
    if (connection.seen.has(key)) return reject(22, 'Duplicate share', record);
    if (value > shareTarget(job.difficulty)) return reject(23, 'Low difficulty share', record);
    connection.seen.add(key);
    const share: ShareRecord = { ...record, accepted: true };
    if (share.block) this.options.onBlock?.(share);
    this.shares.push(share);
    connection.acceptedShares++;
    reply(true);
    if (!connection.extrasSent) {
      connection.extrasSent = true;
      this.sendExtras(connection);
    }
    if (this.options.mode === 'junk') this.sendJunk(connection);
    if (this.options.mode === 'drop' && connection.acceptedShares % 2 === 0)
      this.hangUp(connection, 'drop mode: every 2nd share');
  }

  /** Once per connection: the pool's own requests and a message, as real pools send now and then. */
  private sendExtras(connection: Connection): void {
    for (const method of ['mining.ping', 'client.get_version']) this.request(connection, method);
    this.send(connection, {
      id: null,
      method: 'client.show_message',
      params: [`welcome to the test pool, connection ${connection.record.id}\u001b[31m`],
    });
    if (this.options.mode === 'junk' && !this.oversizedSent) {
      this.oversizedSent = true;
      this.send(
        connection,
        `{"id":null,"method":"client.show_message","params":["${'a'.repeat(OVERSIZED_LINE_BYTES)}"]}`,
      );
    }
  }

  private sendJunk(connection: Connection): void {
    this.send(connection, 'this is not JSON {');
    this.send(connection, '[1, 2, 3]');
    this.send(connection, { id: null, method: 'mining.unknown_notification', params: [1, 2] });
    this.send(connection, { id: 'q1', method: 'client.unknown_request', params: [] });
    this.send(connection, { id: 987654, result: true, error: null });
    this.send(connection, {
      id: null,
      method: 'mining.notify',
      params: ['bad', 'zz', '', '', [], '2000000', '1d00ffff', 'x', true],
    });
    this.send(connection, { id: null, method: 'mining.set_difficulty', params: [-5] });
  }

  private makeJob(connection: Connection): Job {
    const counter = ++this.jobCounter;
    const height = 840_000 + counter;
    const extranonceLength = connection.extranonce1.length + this.options.extranonce2Size;
    const tag = Buffer.from('/test pool/');
    const scriptSig = Buffer.concat([
      heightPush(height),
      Buffer.from([extranonceLength]),
      Buffer.alloc(extranonceLength),
      Buffer.from([tag.length]),
      tag,
    ]);
    const extranonceOffsetInScript = heightPush(height).length + 1;
    const head = Buffer.concat([
      Buffer.from('01000000', 'hex'), // version
      Buffer.from([1]), // one input
      Buffer.alloc(32), // null outpoint
      Buffer.from('ffffffff', 'hex'),
      Buffer.from([scriptSig.length]),
    ]);
    const payout = Buffer.concat([Buffer.from('0014', 'hex'), randomBytes(20)]);
    const value = Buffer.alloc(8);
    value.writeBigUInt64LE(312_500_000n);
    const tail = Buffer.concat([
      Buffer.from('ffffffff', 'hex'), // sequence
      Buffer.from([1]), // one output
      value,
      Buffer.from([payout.length]),
      payout,
      Buffer.alloc(4), // locktime
    ]);
    const txids = Array.from({ length: 2 + (counter % 5) }, () => randomBytes(32));
    return {
      id: `${counter.toString(16)}${randomBytes(2).toString('hex')}`,
      prevHashInternal: Buffer.concat([randomBytes(28), Buffer.alloc(4)]),
      coinbase1: Buffer.concat([head, scriptSig.subarray(0, extranonceOffsetInScript)]),
      coinbase2: Buffer.concat([scriptSig.subarray(extranonceOffsetInScript + extranonceLength), tail]),
      txids,
      version: 0x20000000,
      nbits: parseInt(this.options.nbits, 16),
      ntime: Math.floor(Date.now() / 1000),
      difficulty: connection.difficulty,
      extranonce1: connection.extranonce1,
    };
  }

  private sendJob(connection: Connection, job: Job, clean: boolean): void {
    const dropped = clean ? [...connection.jobs.keys()] : [];
    if (clean) connection.jobs.clear();
    connection.jobs.set(job.id, job);
    this.send(connection, {
      id: null,
      method: 'mining.notify',
      params: [
        job.id,
        stratumPrevHash(job.prevHashInternal),
        job.coinbase1.toString('hex'),
        job.coinbase2.toString('hex'),
        coinbaseBranch(job.txids).map((h) => h.toString('hex')),
        hex8(job.version),
        hex8(job.nbits),
        hex8(job.ntime),
        clean,
      ],
    });
    if (dropped.length === 0) return;
    // The client reads its lines in order: once it answers this, it has read the notify too.
    const ping = this.request(connection, 'mining.ping');
    for (const id of dropped) connection.cleanedJobs.set(id, ping);
  }

  /** Send the client a request of the pool's own; returns its id. */
  private request(connection: Connection, method: string): number {
    const id = connection.nextPoolRequestId++;
    connection.pendingPoolRequests.set(id, method);
    this.send(connection, { id, method, params: [] });
    return id;
  }

  private broadcastJob(): void {
    const clean = (this.jobCounter + 1) % this.options.cleanEvery === 0;
    for (const connection of this.live) {
      if (!connection.subscribed || this.options.mode === 'stall') continue;
      this.sendJob(connection, this.makeJob(connection), clean);
    }
  }
}
