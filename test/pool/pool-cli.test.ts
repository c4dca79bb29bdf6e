// `powlab pool` from the built CLI with real `powlab mine --pool` clients: shares, hashrates, blocks
// on the built-in chain, the ledger across a kill -9, hostile clients, and many idle connections.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { PoolSnapshot } from '../../src/pool/api.js';
import { runCli } from '../helpers/run-cli.js';
import { cleanupsAfterEach, residentBytes, run, startPool, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-');

const miner = (url: string, user: string, seconds?: number) =>
  run(
    [
      'mine',
      '--pool',
      url,
      '--user',
      user,
      '--threads',
      '1',
      ...(seconds ? ['--duration', String(seconds)] : []),
      '--json',
      '--datadir',
      datadir(),
    ],
    cleanups,
  );

async function getJson(url: string): Promise<PoolSnapshot> {
  const response = await fetch(url);
  return (await response.json()) as PoolSnapshot;
}

describe('powlab pool with three powlab miners', () => {
  it('judges every share with a reason, infers each hashrate within the Poisson spread, and extends a chain that verifies', async () => {
    const dir = datadir();
    // 2^22 hashes a block: a dozen or so in 15 s from three loaded laptop threads.
    const pool = await startPool(['--datadir', dir, '--zeros', '22', '--share-seconds', '1'], cleanups);
    const names = ['alice', 'bob', 'carol'];
    const miners = names.map((name) => miner(pool.stratum, name));
    // Until the pool has blocks and every miner enough shares to judge its hashrate by (not a fixed time: the machine may be slow).
    const accepted = (name: string) =>
      pool.lines.filter((line) => line.type === 'share' && line.accepted && line.worker === name).length;
    await pool.waitFor(
      () => pool.lines.some((line) => line.type === 'block') && names.every((name) => accepted(name) >= 8),
      100_000,
    );
    for (const m of miners) m.child.kill('SIGINT');
    const codes = await Promise.all(miners.map((m) => m.exited));
    // Ctrl-C: a summary, then exit 130.
    expect(codes).toEqual([130, 130, 130]);
    // The pool has seen every connection close once the miners have exited and said so.
    const snapshot = await getJson(`${pool.page}api/pool`);
    pool.child.kill('SIGINT');
    expect(await pool.exited).toBe(130);
    expect(pool.lines.at(-1)).toMatchObject({ type: 'summary', stopped: 'interrupted' });

    for (const [i, m] of miners.entries()) {
      const shares = m.lines.filter((line) => line.type === 'share');
      expect(shares.length).toBeGreaterThan(0);
      for (const share of shares) {
        if (share.status !== 'accepted') expect(share.reason, JSON.stringify(share)).toMatch(/\w/);
      }
      const summary = m.lines.find((line) => line.type === 'summary') as {
        hashrate: number;
        accepted: number;
        lost: number;
      };
      const seen = snapshot.miners.find((entry) => entry.worker === names[i])!;
      // A share sent as the miner stopped may be accepted by the pool and lost to the miner, never the other way.
      expect(seen.accepted).toBeGreaterThanOrEqual(summary.accepted);
      expect(seen.accepted).toBeLessThanOrEqual(summary.accepted + summary.lost);
      // n shares measure a rate to about 1/√n: allow four of those, plus the few tenths of a second the two clocks disagree on.
      const spread = 4 / Math.sqrt(seen.inferenceShares) + 0.1;
      expect(
        Math.abs(seen.inferredHashrate - summary.hashrate) / summary.hashrate,
        `${names[i]}: ${seen.inferredHashrate} vs ${summary.hashrate} over ${seen.inferenceShares} shares`,
      ).toBeLessThan(spread);
      expect(seen.reportedHashrate).toBeGreaterThan(0);
    }

    const blocks = pool.lines.filter((line) => line.type === 'block');
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.every((block) => block.accepted)).toBe(true);
    const verify = await runCli(['chain', 'verify', '--datadir', dir, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, blocks: blocks.length, tip: blocks.at(-1)!.hash });
  }, 150_000);
});

describe('powlab pool after kill -9', () => {
  it('keeps every share it accepted and every block with its split', async () => {
    const dir = datadir();
    const first = await startPool(['--datadir', dir, '--zeros', '20', '--share-seconds', '1'], cleanups);
    miner(first.stratum, 'alice', 30);
    const block = await first.waitFor((line) => line.type === 'block');
    await first.waitFor(
      (line) =>
        line.type === 'share' &&
        line.accepted === true &&
        line !== block &&
        first.lines.indexOf(line) > first.lines.indexOf(block),
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const acceptedBeforeKill = first.lines.filter((line) => line.type === 'share' && line.accepted).length;

    const second = await startPool(['--datadir', dir, '--zeros', '20'], cleanups);
    const snapshot = await getJson(`${second.page}api/pool`);
    expect(snapshot.pool.blocks).toBeGreaterThanOrEqual(1);
    const kept = snapshot.blocks.find((entry) => entry.hash === block.hash);
    expect(kept).toMatchObject({ finder: 'alice', split: block.split, window: block.window });
    // A share is in the ledger before the pool logs it or answers: every one logged, and at most the one being logged when killed.
    const alice = snapshot.ledger.find((entry) => entry.miner === 'alice')!;
    expect(alice.shares).toBeGreaterThanOrEqual(acceptedBeforeKill);
    expect(alice.shares).toBeLessThanOrEqual(acceptedBeforeKill + 1);
    expect(BigInt(alice.earned)).toBeGreaterThan(0n);
    const verify = await runCli(['chain', 'verify', '--datadir', dir]);
    expect(verify.code).toBe(0);
  }, 120_000);
});

function stratumSocket(port: number): Promise<Socket & { text: () => string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(Object.assign(socket, { text: () => text })));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', reject);
    cleanups.push(() => socket.destroy());
  });
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

describe('powlab pool and hostile clients', () => {
  it('drops junk, a flood, bad shares and an endless line, each with its reason, while an honest miner keeps getting shares accepted', async () => {
    // Blocks rare (2^30 hashes), so the bad client's job stays current and its shares fail for their ntime.
    const pool = await startPool(['--datadir', datadir(), '--zeros', '30', '--share-seconds', '1'], cleanups);
    const honest = miner(pool.stratum, 'honest', 40);
    await pool.waitFor((line) => line.type === 'share' && line.worker === 'honest' && line.accepted === true);

    const junk = await stratumSocket(pool.port);
    junk.write('GET / HTTP/1.1\r\n'.repeat(20));
    const flood = await stratumSocket(pool.port);
    flood.write('{"id":1,"method":"mining.configure","params":[[],{}]}\n'.repeat(500));
    const bad = await stratumSocket(pool.port);
    bad.write(
      '{"id":1,"method":"mining.subscribe","params":[]}\n{"id":2,"method":"mining.authorize","params":["bad","x"]}\n',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const job = /"mining.notify","params":\["([^"]+)"/.exec(bad.text())![1];
    for (let i = 0; i < 20; i++)
      bad.write(
        `{"id":${10 + i},"method":"mining.submit","params":["bad","${job}","00000000","00000000","${i.toString(16).padStart(8, '0')}"]}\n`,
      );
    const long = await stratumSocket(pool.port);
    long.write('{"id":1,"method":"'.padEnd(20_000, 'x'));
    await Promise.all([junk, flood, bad, long].map(closed));

    const dropped = () => pool.lines.filter((line) => line.type === 'dropped').map((line) => String(line.reason));
    await pool.waitFor(() => dropped().length >= 4);
    expect(dropped()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sent 11 lines that are not Stratum requests/),
        'sent more than 20 messages a second',
        expect.stringMatching(/^20 shares rejected in a row \(last: /),
        'sent a line longer than 16384 bytes',
      ]),
    );
    const before = pool.lines.filter(
      (line) => line.type === 'share' && line.worker === 'honest' && line.accepted,
    ).length;
    await pool.waitFor(
      (line) =>
        line.type === 'share' &&
        line.worker === 'honest' &&
        line.accepted === true &&
        pool.lines.filter((l) => l.type === 'share' && l.worker === 'honest' && l.accepted).indexOf(line) >= before,
    );
    honest.child.kill('SIGINT');
    await honest.exited;
    const rejected = honest.lines.filter((line) => line.type === 'share' && line.status !== 'accepted');
    expect(rejected).toEqual([]);
  }, 120_000);

  it('holds 500 idle miners with memory bounded, and refuses connections past its caps', async () => {
    const pool = await startPool(
      ['--datadir', datadir(), '--max-per-address', '500', '--max-connections', '600'],
      cleanups,
    );
    const pid = pool.child.pid!;
    const baseline = await residentBytes(pid);
    const sockets: (Socket & { text: () => string })[] = [];
    for (let i = 0; i < 500; i++) {
      const socket = await stratumSocket(pool.port);
      socket.write(
        `{"id":1,"method":"mining.subscribe","params":[]}\n{"id":2,"method":"mining.authorize","params":["idle${i}","x"]}\n`,
      );
      sockets.push(socket);
    }
    const extra = await stratumSocket(pool.port);
    await closed(extra);
    await pool.waitFor(
      (line) => line.type === 'refused' && line.reason === '500 Stratum connections from 127.0.0.1 already',
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sockets.filter((socket) => socket.closed)).toEqual([]);
    expect(sockets.every((socket) => socket.text().includes('mining.notify'))).toBe(true);
    const snapshot = await getJson(`${pool.page}api/pool`);
    expect(snapshot.pool.connections).toBe(500);
    const grown = (await residentBytes(pid)) - baseline;
    // About 100 kB a connection would be 50 MB: far more than a socket, its line buffer and its session need.
    expect(grown).toBeLessThan(50 * 1024 * 1024);
    console.log(`500 idle connections: the pool's resident memory grew ${(grown / 1024 / 1024).toFixed(1)} MB`);
  }, 120_000);
});
