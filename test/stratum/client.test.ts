/**
 * The pool connection against real sockets on 127.0.0.1: the test pool, and scripted servers for
 * the ways a pool misbehaves.
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { withNonce } from '../../src/core/header.js';
import { digestWordsToBytes, headerMidstate, headerTailWords, sha256dFromMidstate } from '../../src/core/sha256.js';
import { digestMeetsTarget, targetToLimbs } from '../../src/core/target.js';
import { PowlabError } from '../../src/errors.js';
import type { Solution } from '../../src/miner/work.js';
import { parsePoolUrl, StratumClient, type StratumClientOptions } from '../../src/sources/stratum/client.js';
import type { ShareWork } from '../../src/stratum/work.js';
import { TestPool, type PoolOptions } from './pool-server.js';
import { FAST, handshake, scriptedPool, type ScriptedPool } from './scripted-pool.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(port: number, options: Partial<StratumClientOptions> = {}): StratumClient {
  const created = new StratumClient({
    address: { host: '127.0.0.1', port },
    user: 'alice.rig',
    password: 'the-password',
    userAgent: 'powlab/test',
    versionRolling: false,
    limits: FAST,
    ...options,
  });
  cleanups.push(() => created.close());
  return created;
}

async function pool(options: PoolOptions = {}): Promise<TestPool> {
  const started = await TestPool.start(options);
  cleanups.push(() => started.close());
  return started;
}

async function scripted(...args: Parameters<typeof scriptedPool>): Promise<ScriptedPool> {
  const started = await scriptedPool(...args);
  cleanups.push(() => started.close());
  return started;
}

function next<T extends unknown[]>(emitter: StratumClient, event: 'work' | 'disconnected' | 'fatal'): Promise<T> {
  return once(emitter, event) as Promise<T>;
}

/** Start the client and collect the retry delays of its first `count` disconnections. */
async function disconnects(connection: StratumClient, count: number): Promise<number[]> {
  const delays: number[] = [];
  connection.on('disconnected', (_reason, retryMs) => delays.push(retryMs));
  connection.start();
  while (delays.length < count) await next(connection, 'disconnected');
  return delays;
}

/** Hash nonces of one extranonce of the work, with src/core, until one meets the share target. */
function mineByHand(work: ShareWork, extranonceIndex: number): Solution {
  const header = work.header(extranonceIndex);
  const midstate = headerMidstate(header);
  const tail = headerTailWords(header);
  const limbs = targetToLimbs(work.target);
  const digest = new Uint32Array(8);
  for (let nonce = 0; nonce < 2 ** 32; nonce++) {
    sha256dFromMidstate(midstate, tail, nonce, digest);
    if (digestMeetsTarget(digest, limbs)) {
      return {
        work,
        extranonceIndex,
        nonce,
        header: withNonce(header, nonce),
        hash: digestWordsToBytes(digest),
        hashes: nonce + 1,
        seconds: 0,
      };
    }
  }
  throw new Error('no share in the whole nonce range');
}

describe('pool URLs', () => {
  it('reads stratum+tcp://HOST:PORT and refuses the rest in one line', () => {
    expect(parsePoolUrl('stratum+tcp://pool.example.com:3333')).toEqual({ host: 'pool.example.com', port: 3333 });
    expect(parsePoolUrl('stratum+tcp://[::1]:3333/')).toEqual({ host: '::1', port: 3333 });
    expect(() => parsePoolUrl('stratum+ssl://pool.example.com:443')).toThrow(/TLS pools are not supported/);
    expect(() => parsePoolUrl('pool.example.com:3333')).toThrow(/expected stratum\+tcp:\/\/HOST:PORT/);
    expect(() => parsePoolUrl('stratum+tcp://pool.example.com')).toThrow(PowlabError);
    expect(() => parsePoolUrl('stratum+tcp://pool.example.com:70000')).toThrow(/port must be/);
  });

  it('never echoes a user or password written into the URL', () => {
    for (const url of [
      'stratum+tcp://alice:s3cretpw@pool.example.com:3333',
      'stratum+tcp://alice:s3cret@pw@pool.example.com',
      'stratum+ssl://alice:s3cretpw@pool.example.com:443',
    ]) {
      expect(() => parsePoolUrl(url)).toThrow(
        'pool: put no user or password in the URL; pass them with --user and --password',
      );
    }
  });
});

describe('the pool connection', () => {
  it('mines shares by hand with src/core, rolled version bits included, and the pool accepts each', async () => {
    // No new jobs during the test, so no share can be stale.
    const testPool = await pool({ difficulty: 0.00002, jobIntervalMs: 60_000 });
    const connection = client(testPool.port, { versionRolling: true });
    connection.start();
    const [work] = await next<[ShareWork]>(connection, 'work');
    expect(connection.versionMask).toBe(0x1fffe000);
    expect(work.terms.difficulty).toBe(0.00002);
    // Index 0 is the job's own version; 3 rolls two version bits; 70,000 is past 2^16 versions, on the next extranonce2.
    for (const index of [0, 3, 70_000])
      expect(await connection.submit(work, mineByHand(work, index))).toEqual({ status: 'accepted' });
    expect(testPool.shares.map((share) => [share.accepted, share.extranonce2, share.versionBits])).toEqual([
      [true, '00000000', '00000000'],
      [true, '00000000', '00006000'],
      [true, '00000001', ((70_000 % 65_536) << 13).toString(16).padStart(8, '0')],
    ]);
    expect(testPool.connections[0].userAgent).toBe('powlab/test');
  });

  it('reconnects when the pool stalls', async () => {
    const testPool = await pool({ mode: 'stall', difficulty: 1000 });
    const connection = client(testPool.port, { limits: { ...FAST, stallTimeoutMs: 300 } });
    connection.start();
    await next(connection, 'work');
    const [reason] = await next<[string, number]>(connection, 'disconnected');
    expect(reason).toBe('no work or answers from the pool for 0.3 s');
    await next(connection, 'work');
    expect(testPool.connections.length).toBe(2);
  });

  it('says a pool that resets the connection hung up, and comes back', async () => {
    let connections = 0;
    const resetting = await scripted((socket, message) => {
      if (!handshake(socket, message) || message.method !== 'mining.authorize') return;
      if (++connections === 1) setTimeout(() => socket.resetAndDestroy(), 50);
    });
    const connection = client(resetting.port);
    connection.start();
    await next(connection, 'work');
    expect((await next<[string]>(connection, 'disconnected'))[0]).toBe('the pool reset the connection');
    await next(connection, 'work');
  }, 10_000);

  it('drops a pool that trickles bytes without ever ending the line', async () => {
    const trickling = await scripted((socket, message) => {
      if (!handshake(socket, message) || message.method !== 'mining.authorize') return;
      const trickle = setInterval(() => socket.write('x'), 10);
      socket.on('close', () => clearInterval(trickle));
    });
    const connection = client(trickling.port, { limits: { ...FAST, stallTimeoutMs: 300 } });
    connection.start();
    await next(connection, 'work');
    expect((await next<[string]>(connection, 'disconnected'))[0]).toBe('no work or answers from the pool for 0.3 s');
  }, 10_000);

  it('backs off while the pool is gone, comes back with it, and stops at once when closed', async () => {
    const first = await TestPool.start({ difficulty: 1000 });
    const port = first.port;
    const connection = client(port);
    connection.start();
    await next(connection, 'work');
    const delays: number[] = [];
    connection.on('disconnected', (_reason, retryMs) => delays.push(retryMs));
    await first.close();
    while (delays.length < 5) await next(connection, 'disconnected');
    // Exponential, with a little jitter, up to the cap.
    expect(delays[0]).toBeLessThan(60);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(220);
    expect(delays.slice(3).every((delay) => delay >= 180)).toBe(true);
    const back = await pool({ difficulty: 1000, port });
    await next(connection, 'work');
    expect(back.connections.length).toBe(1);
    connection.close();
    const after = delays.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delays.length).toBe(after);
  });

  it('backs off from a pool that asks for a reconnect, without a wait, as soon as each connection opens', async () => {
    const asking = await scripted(
      () => {},
      (socket) => socket.write(`${JSON.stringify({ id: null, method: 'client.reconnect', params: [] })}\n`),
    );
    const connection = client(asking.port, { limits: { ...FAST, backoffInitialMs: 100, backoffMaxMs: 10_000 } });
    const delays = await disconnects(connection, 4);
    // 100, 200, 400, 800 ms, give or take the jitter: the pool's "now" does not skip the backoff.
    delays.forEach((delay, i) => expect(delay).toBeGreaterThanOrEqual(0.9 * 100 * 2 ** i));
    expect(connection.counts.connections).toBe(4);
  });

  it('keeps backing off from a pool that sends a job and hangs up, until a share is accepted', async () => {
    const fickle = await scripted((socket, message, number) => {
      handshake(socket, message);
      if (message.method === 'mining.authorize' && number <= 3) socket.end();
      if (message.method === 'mining.submit')
        socket.end(`${JSON.stringify({ id: message.id, result: true, error: null })}\n`);
    });
    const connection = client(fickle.port, { limits: { ...FAST, backoffInitialMs: 100, backoffMaxMs: 10_000 } });
    const delays = await disconnects(connection, 3);
    // A job each time, yet the backoff grows: getting a job is not the same as the connection working.
    delays.forEach((delay, i) => expect(delay).toBeGreaterThanOrEqual(0.9 * 100 * 2 ** i));
    const [work] = await next<[ShareWork]>(connection, 'work');
    const header = withNonce(work.header(0), 1);
    const dropped = next<[string, number]>(connection, 'disconnected');
    expect(
      await connection.submit(work, {
        work,
        extranonceIndex: 0,
        nonce: 1,
        header,
        hash: new Uint8Array(32),
        hashes: 1,
        seconds: 0,
      }),
    ).toEqual({ status: 'accepted' });
    // The accepted share showed the pool works: the next retry starts from the first step again.
    expect((await dropped)[1]).toBeLessThanOrEqual(110);
  });

  it('starts the backoff over once a connection has stayed up', async () => {
    const sockets: Socket[] = [];
    const steady = await scripted((socket, message, number) => {
      handshake(socket, message);
      if (message.method === 'mining.authorize' && number <= 2) socket.end();
      if (message.method === 'mining.authorize') sockets.push(socket);
    });
    const connection = client(steady.port, {
      limits: { ...FAST, backoffInitialMs: 100, backoffMaxMs: 10_000, steadyConnectionMs: 50 },
    });
    expect((await disconnects(connection, 2))[1]).toBeGreaterThanOrEqual(180);
    await next(connection, 'work');
    // Longer than steadyConnectionMs, and set after the client's timer: the client's fires first however slow the machine.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const dropped = next<[string, number]>(connection, 'disconnected');
    sockets.at(-1)!.end();
    expect((await dropped)[1]).toBeLessThanOrEqual(110);
  });

  it('drops a pool that never answers the handshake, and one that sends an overlong line', async () => {
    const silent = await scripted(() => {});
    const quiet = client(silent.port, { limits: { ...FAST, handshakeTimeoutMs: 200 } });
    quiet.start();
    expect((await next<[string]>(quiet, 'disconnected'))[0]).toBe('the pool did not finish the handshake in 0.2 s');
    quiet.close();

    const flood = await scripted((socket, message) => {
      if (handshake(socket, message) && message.method === 'mining.authorize') socket.write('x'.repeat(5000));
    });
    const flooded = client(flood.port, { limits: { ...FAST, maxLineBytes: 1000 } });
    flooded.start();
    expect((await next<[string]>(flooded, 'disconnected'))[0]).toBe('the pool sent a line longer than 1000 bytes');
    await next(flooded, 'work');
  });

  it('retries without version rolling when the pool hangs up on mining.configure', async () => {
    const old = await scripted((socket, message) => {
      if (message.method === 'mining.configure') socket.destroy();
      else handshake(socket, message);
    });
    const connection = client(old.port, { versionRolling: true });
    const warnings: string[] = [];
    connection.on('warning', (text) => warnings.push(text));
    connection.start();
    const [work] = await next<[ShareWork]>(connection, 'work');
    expect(old.firstLines).toEqual(['mining.configure', 'mining.subscribe']);
    expect(work.terms.versionMask).toBeNull();
    expect(warnings).toEqual(['the pool did not answer mining.configure; connecting again without version rolling']);
  });

  it('stops for good when the pool refuses the login, without showing the password', async () => {
    const testPool = await pool({ password: 'right' });
    const connection = client(testPool.port, { password: 'wrong-secret-123' });
    connection.start();
    const [error] = await next<[PowlabError]>(connection, 'fatal');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe('the pool refused user "alice.rig": Unauthorized worker (24)');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(testPool.connections.length).toBe(1);
  });

  it('follows client.reconnect to another port of the same host, and refuses another host', async () => {
    const target = await pool({ difficulty: 1000 });
    const redirecting = await scripted((socket, message, connection) => {
      if (message.method === 'mining.subscribe') handshake(socket, message);
      if (message.method !== 'mining.authorize') return;
      socket.write(`${JSON.stringify({ id: message.id, result: true, error: null })}\n`);
      const host = connection === 1 ? 'elsewhere.example.com' : '127.0.0.1';
      socket.write(`${JSON.stringify({ id: null, method: 'client.reconnect', params: [host, target.port, 0] })}\n`);
      if (connection === 1) socket.destroy();
    });
    const connection = client(redirecting.port);
    const warnings: string[] = [];
    connection.on('warning', (text) => warnings.push(text));
    connection.start();
    const [reason] = await next<[string]>(connection, 'disconnected');
    expect(reason).toBe('the pool closed the connection');
    expect(warnings).toEqual(["ignored the pool's request to reconnect to another host (elsewhere.example.com)"]);
    const [why] = await next<[string]>(connection, 'disconnected');
    expect(why).toBe(`the pool asked us to reconnect to 127.0.0.1:${target.port}`);
    await next(connection, 'work');
    expect(target.connections.length).toBe(1);
  });

  it('counts a share the pool never judges as lost, and one from a dropped connection as stale', async () => {
    const mute = await scripted((socket, message) => handshake(socket, message));
    const connection = client(mute.port, { limits: { ...FAST, submitTimeoutMs: 200 } });
    connection.start();
    const [work] = await next<[ShareWork]>(connection, 'work');
    const header = withNonce(work.header(0), 1);
    const solution: Solution = {
      work,
      extranonceIndex: 0,
      nonce: 1,
      header,
      hash: new Uint8Array(32),
      hashes: 1,
      seconds: 0,
    };
    expect(await connection.submit(work, solution)).toEqual({
      status: 'lost',
      reason: 'no answer from the pool in 0.2 s',
    });
    connection.close();
    expect(await connection.submit(work, solution)).toEqual({ status: 'stale', reason: 'not connected to the pool' });
  });
});
