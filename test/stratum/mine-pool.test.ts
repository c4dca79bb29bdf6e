/**
 * `powlab mine --pool`, run as a user would (the built CLI in a child process, no TTY), against the
 * test pool on 127.0.0.1, which re-derives and checks every share it is sent.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { hashToDisplayHex } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { TestPool, type PoolOptions, type ShareRecord } from './pool-server.js';
import { scriptedPool } from './scripted-pool.js';
import type { ShareReport } from '../../src/sources/stratum/mining.js';

const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;
const PASSWORD = 'hunter2-never-shown';
/**
 * The runs test that mining carries on (through clean jobs, junk, hang-ups, version rolling), not how
 * fast: each stops as soon as it has seen enough, and this --duration only ends a run that never does,
 * with room for a slow machine or an unlucky streak.
 */
const PATIENT_SECONDS = 45;

/** A share line of `mine --pool --json`: the client's own report, as printed. */
type ShareLine = ShareReport;

interface Run {
  code: number | null;
  lines: Record<string, unknown>[];
  shares: ShareLine[];
  summary: Record<string, unknown>;
  stderr: string;
  stdout: string;
  pool: TestPool;
  port: number;
}

const root = mkdtempSync(join(tmpdir(), 'powlab-pool-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Mine against a fresh test pool until `enough` says so (then Ctrl-C, as a user would) or `--duration` ends the run. */
async function mine(
  options: PoolOptions,
  extra: string[],
  enough: (shares: ShareLine[], lines: Record<string, unknown>[]) => boolean,
  seconds = PATIENT_SECONDS,
  datadir = mkdtempSync(join(root, 'data-')),
): Promise<Run> {
  const pool = await TestPool.start(options);
  const args = [
    BIN,
    'mine',
    '--pool',
    pool.url,
    '--user',
    'class.laptop7',
    '--password',
    PASSWORD,
    '--threads',
    '2',
    '--duration',
    String(seconds),
    '--json',
    '--datadir',
    datadir,
    ...extra,
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines: Record<string, unknown>[] = [];
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => {
    stdout += `${line}\n`;
    lines.push(JSON.parse(line));
    const shares = lines.filter((l) => l.type === 'share') as unknown as ShareLine[];
    if (enough(shares, lines) && child.exitCode === null && !child.killed) child.kill('SIGINT');
  });
  // A run that outlives its own --duration has hung: end it, so the test fails with its output instead of timing out.
  const watchdog = setTimeout(
    () => {
      stderr += `[test: still running ${seconds + 15} s after start; killed]\n`;
      child.kill('SIGKILL');
    },
    (seconds + 15) * 1000,
  );
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(watchdog);
  const port = pool.port;
  await pool.close();
  const shares = lines.filter((l) => l.type === 'share') as unknown as ShareLine[];
  return { code, lines, shares, summary: lines.at(-1)!, stderr, stdout, pool, port };
}

/**
 * Run the built CLI until `stop` resolves, or its stderr matches `stop`, then Ctrl-C it as a user
 * would; its --duration of 30 s ends it if that never comes.
 */
async function runUntil(
  args: string[],
  stop: Promise<void> | RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--duration', '30'], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  const interrupt = () => child.exitCode === null && !child.killed && child.kill('SIGINT');
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stop instanceof RegExp && stop.test(stderr)) interrupt();
  });
  if (stop instanceof Promise) void stop.then(interrupt);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

const accepted = (shares: ShareLine[]) => shares.filter((share) => share.status === 'accepted');

/** What every run must show: shares the pool re-derived and accepted, nothing rejected but stale races, no password. */
/**
 * `lost`: 'none', no share may be lost; 'unjudged', the pool hung up, so a share in flight was never
 * judged; 'maybeJudged', the client hung up (on a line too long), so the pool may have accepted a
 * share whose answer the client never read.
 */
function expectHonestRun(
  run: Run,
  { lost: lostMay = 'none' }: { lost?: 'none' | 'unjudged' | 'maybeJudged' } = {},
): void {
  expect(run.code, run.stderr).toBe(130);
  expect(accepted(run.shares).length).toBeGreaterThanOrEqual(3);
  // The pool computed each hash itself, from the job it sent: the client's hashes are the same.
  const poolAccepted = run.pool.shares.filter((share) => share.accepted);
  const lost = run.shares.filter((share) => share.status === 'lost');
  const answeredOrLost = lostMay === 'maybeJudged' ? [...accepted(run.shares), ...lost] : accepted(run.shares);
  const poolAcceptedHashes = poolAccepted.map((share) => share.hash);
  expect(accepted(run.shares).every((share) => poolAcceptedHashes.includes(share.hash))).toBe(true);
  expect(poolAcceptedHashes.every((hash) => answeredOrLost.some((share) => share.hash === hash))).toBe(true);
  // Rejected only if the share raced a clean_jobs: stale, and sent before the client could have read
  // the notify (however slow the machine; a miner that kept sending dropped work would fail here).
  const rejected = run.pool.shares.filter((share) => !share.accepted);
  for (const share of rejected) {
    expect(share.reason).toBe('Job not found (=stale)');
    expect(share.raced).toBe(true);
  }
  expect(
    run.shares.filter((share) => share.status === 'rejected').every((share) => /stale/.test(share.reason ?? '')),
  ).toBe(true);
  // A share in flight when the connection ends is lost; when the pool hung up, it was never judged either.
  if (lostMay === 'none') expect(lost).toEqual([]);
  if (lostMay === 'unjudged')
    for (const share of lost) expect(poolAccepted.map((record) => record.hash)).not.toContain(share.hash);
  expect(run.summary).toMatchObject({
    type: 'summary',
    stopped: 'interrupted',
    accepted: accepted(run.shares).length,
    rejected: rejected.length,
    lost: lost.length,
  });
  for (const share of accepted(run.shares)) {
    expect(share.hashDifficulty).toBeGreaterThanOrEqual(share.difficulty * (1 - 1e-9));
    expect(share.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(share.nonce).toMatch(/^[0-9a-f]{8}$/);
  }
  expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  for (const connection of run.pool.connections) {
    expect(connection.userAgent).toBe(`powlab/${VERSION}`);
    expect(connection.transcript.map((row) => row.line).join('\n')).toContain(PASSWORD); // it was sent, to the pool only
  }
}

describe('powlab mine --pool', () => {
  it('mines shares the pool accepts at difficulty 0.0002 on 2 threads, dropping old work at each clean_jobs', async () => {
    // A clean job every second: a miner that kept hashing old work would send stale shares.
    const jobsOf = (shares: ShareLine[]) => new Set(accepted(shares).map((share) => share.jobId)).size;
    const run = await mine(
      { difficulty: 0.0002, jobIntervalMs: 1000, cleanEvery: 1 },
      [],
      (shares) => accepted(shares).length >= 3 && jobsOf(shares) >= 2,
    );
    expectHonestRun(run);
    expect(
      run.shares.every((share) => share.difficulty === 0.0002 && share.versionBits === undefined && !share.block),
    ).toBe(true);
    // The miner moved to the new work at a clean_jobs and had shares accepted for it.
    expect(jobsOf(run.shares)).toBeGreaterThanOrEqual(2);
    expect(run.pool.connections).toHaveLength(1);
    const [connection] = run.pool.connections;
    expect(connection.user).toBe('class.laptop7');
    expect(connection.answers).toEqual({ 'mining.ping': 'pong', 'client.get_version': `powlab/${VERSION}` });
    // The pool's message, shown with its escape character made harmless.
    expect(run.stderr).toContain('powlab: the pool says: welcome to the test pool, connection 1 [31m');
    expect(run.stderr).not.toContain('\u001b');
    expect(run.summary).toMatchObject({ difficulty: 0.0002, versionMask: null, connections: 1, blocks: 0 });
    expect(run.summary.bestShareDifficulty).toBe(Math.max(...run.shares.map((share) => share.hashDifficulty)));
  }, 90_000);

  it('keeps going through junk lines, unknown methods, bad messages and an oversized line', async () => {
    const run = await mine({ mode: 'junk' }, [], (shares) => accepted(shares).length >= 3);
    expectHonestRun(run, { lost: 'maybeJudged' });
    // The oversized line came after the first accepted share: the client dropped that connection and came back.
    expect(run.pool.connections.length).toBeGreaterThanOrEqual(2);
    expect(run.stderr).toMatch(/lost the pool \(the pool sent a line longer than 131072 bytes\); reconnecting in/);
    expect(run.stderr).toContain(
      'warning: ignored a message from the pool: mining.notify prevhash: must be whole bytes of hex',
    );
    // Each distinct warning once, however often the pool repeats itself.
    expect(run.stderr.split('mining.set_difficulty: difficulty must be a positive number').length).toBe(2);
    expect(run.summary.ignoredLines as number).toBeGreaterThanOrEqual(10);
    // The unknown request was answered with an error rather than left hanging.
    expect(
      run.pool.connections[0].transcript.some(
        (row) => row.from === 'client' && row.line.includes('"id":"q1"') && row.line.includes('unknown method'),
      ),
    ).toBe(true);
  }, 90_000);

  it('reconnects and keeps going when the pool drops the connection every 2 shares', async () => {
    const run = await mine({ mode: 'drop' }, [], (shares) => accepted(shares).length >= 3);
    expectHonestRun(run, { lost: 'unjudged' });
    expect(run.pool.connections.length).toBeGreaterThanOrEqual(2);
    expect(run.pool.connections[0].closedByPool).toBe('drop mode: every 2nd share');
    // Each connection a fresh subscription, with its own extranonce1.
    expect(run.pool.connections.every((connection) => connection.transcript[0].line.includes('mining.subscribe'))).toBe(
      true,
    );
    // A share written after the pool's close fails with EPIPE, and one it never read turns the close into a
    // reset: either way the student reads that the pool hung up, never a bare errno.
    expect(run.stderr).toMatch(/lost the pool \(the pool (closed|reset) the connection\); reconnecting in/);
    expect(run.stderr).not.toMatch(/failed: E[A-Z]+/);
  }, 90_000);

  it('negotiates version rolling (BIP 310) and a suggested difficulty, and its shares are still accepted', async () => {
    const run = await mine(
      { difficulty: 0.0005, serverVersionMask: 0x1fffe000 },
      ['--version-rolling', '--suggest-difficulty', '0.0002'],
      (shares) => accepted(shares).length >= 3,
    );
    expectHonestRun(run);
    const [connection] = run.pool.connections;
    expect(connection.transcript[0].line).toContain('"method":"mining.configure"');
    expect(connection.versionMask).toBe(0x1fffe000);
    expect(connection.suggestedDifficulty).toBe(0.0002);
    expect(run.summary.versionMask).toBe('1fffe000');
    // Every share carried version bits within the mask, and the pool built its header from them.
    expect(
      run.pool.shares.every(
        (share: ShareRecord) =>
          share.versionBits !== undefined && (parseInt(share.versionBits, 16) & ~0x1fffe000) === 0,
      ),
    ).toBe(true);
    expect(accepted(run.shares).every((share) => share.versionBits !== undefined)).toBe(true);
    // The suggested difficulty came back from the pool and applied to the jobs after it.
    expect(accepted(run.shares).at(-1)!.difficulty).toBe(0.0002);
  }, 90_000);

  it('writes a share that is also a block to disk before submitting it', async () => {
    const datadir = mkdtempSync(join(root, 'blocks-'));
    const seenOnDisk: boolean[] = [];
    // nbits 1e07ffff: a target about 0.4 times the share target, so some shares are blocks.
    const run = await mine(
      {
        nbits: '1e07ffff',
        onBlock: (share) => seenOnDisk.push(existsSync(join(datadir, 'found', `${share.hash}.json`))),
      },
      [],
      (shares) => shares.some((share) => share.block && share.status === 'accepted'),
      PATIENT_SECONDS,
      datadir,
    );
    expect(run.code, run.stderr).toBe(130);
    const blocks = run.lines.filter((line) => line.type === 'block');
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(seenOnDisk.length).toBeGreaterThanOrEqual(1);
    expect(seenOnDisk.every(Boolean)).toBe(true);
    for (const block of blocks) {
      const saved = JSON.parse(readFileSync(String(block.file), 'utf8'));
      expect(saved.source).toBe(`stratum 127.0.0.1:${run.port}`);
      expect(hashToDisplayHex(sha256d(Uint8Array.from(Buffer.from(saved.header, 'hex'))))).toBe(block.hash);
      expect(saved.share.jobId).toBe(block.jobId);
      expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    }
    expect(run.summary.blocks).toBe(blocks.length);
  }, 90_000);

  it('backs off from a pool that asks for a reconnect at once on every connection, and says so once', async () => {
    const connectedAt: number[] = [];
    let third!: () => void;
    const thirdConnection = new Promise<void>((resolve) => (third = resolve));
    const pool = await scriptedPool(
      () => {},
      (socket) => {
        if (connectedAt.push(performance.now()) === 3) third();
        socket.write(`${JSON.stringify({ id: null, method: 'client.reconnect', params: [] })}\n`);
      },
    );
    const run = await runUntil(
      [
        'mine',
        '--pool',
        `stratum+tcp://127.0.0.1:${pool.port}`,
        '--user',
        'u',
        '--threads',
        '1',
        '--json',
        '--datadir',
        join(root, 'asked'),
      ],
      thirdConnection,
    );
    await pool.close();
    expect(run.code).toBe(3);
    // Retries about 1 s and then 2 s later (jitter ±10%), where there were hundreds of connections a second; a slow machine only waits longer.
    expect(connectedAt[1] - connectedAt[0]).toBeGreaterThanOrEqual(900);
    expect(connectedAt[2] - connectedAt[1]).toBeGreaterThanOrEqual(1800);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^powlab: lost the pool \\(the pool asked us to reconnect to 127\\.0\\.0\\.1:${pool.port}\\); reconnecting in \\d\\.\\d s$`,
        ),
      ),
      `powlab: never got work from the pool at 127.0.0.1:${pool.port} (the pool asked us to reconnect to 127.0.0.1:${pool.port})`,
    ]);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      stopped: 'interrupted',
      connections: pool.connections,
    });
  }, 60_000);

  it('shows at most 100 different warnings, however many different bad messages the pool sends', async () => {
    let answered!: () => void;
    const pingAnswered = new Promise<void>((resolve) => (answered = resolve));
    const pool = await scriptedPool((socket, message) => {
      if (message.method === 'mining.subscribe')
        socket.write(`${JSON.stringify({ id: message.id, result: [[], '08000002', 4], error: null })}\n`);
      if (message.id === 'after-the-noise') answered();
      if (message.method !== 'mining.authorize') return;
      socket.write(`${JSON.stringify({ id: message.id, result: true, error: null })}\n`);
      for (let n = 1; n <= 150; n++)
        socket.write(`${JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [-n] })}\n`);
      // Its answer comes after the client has read every bad message before it.
      socket.write(`${JSON.stringify({ id: 'after-the-noise', method: 'mining.ping', params: [] })}\n`);
    });
    const run = await runUntil(
      [
        'mine',
        '--pool',
        `stratum+tcp://127.0.0.1:${pool.port}`,
        '--user',
        'u',
        '--threads',
        '1',
        '--json',
        '--datadir',
        join(root, 'noisy'),
      ],
      pingAnswered,
    );
    await pool.close();
    expect(run.code, run.stderr).toBe(130);
    const warnings = run.stderr.trim().split('\n');
    expect(warnings).toHaveLength(101);
    expect(warnings[0]).toBe(
      'powlab: warning: ignored a message from the pool: mining.set_difficulty: difficulty must be a positive number, got -1',
    );
    expect(warnings[99]).toMatch(/got -100$/);
    expect(warnings[100]).toBe('powlab: warning: 100 different warnings shown; no more will be');
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!).invalidMessages).toBe(150);
  }, 60_000);

  it('sends a block to the pool even when it cannot be saved, and says so in one line', async () => {
    // A file where the datadir should be: nothing can be saved under it.
    const datadir = join(root, 'not-a-directory');
    writeFileSync(datadir, '');
    const run = await mine(
      { nbits: '1e07ffff' },
      [],
      (shares) => shares.some((share) => share.block && share.status === 'accepted'),
      PATIENT_SECONDS,
      datadir,
    );
    expect(run.code, run.stderr).toBe(130);
    const blocks = run.lines.filter((line) => line.type === 'block');
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks.every((block) => block.file === null)).toBe(true);
    const unsaved = run.stderr.split('\n').filter((line) => line.includes('could not save'));
    expect(unsaved).toHaveLength(blocks.length);
    for (const [i, line] of unsaved.entries())
      expect(line).toMatch(
        new RegExp(`^powlab: warning: could not save .*${String(blocks[i].hash)}.*; sending it to the pool anyway$`),
      );
    // The pool has every block the miner found: none was held back for want of a file.
    const poolBlocks = run.pool.shares.filter((share) => share.block).map((share) => share.hash);
    for (const block of blocks) expect(poolBlocks).toContain(block.hash);
  }, 90_000);

  it('refuses bad options, a refused login and an unreachable pool in one line each', async () => {
    const badUrl = await runCli(['mine', '--pool', 'http://127.0.0.1:3333', '--user', 'u']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toBe('powlab: --pool: expected stratum+tcp://HOST:PORT, got "http://127.0.0.1:3333"\n');
    const secret = await runCli(['mine', '--pool', 'stratum+tcp://alice:s3cretpw@127.0.0.1:3333']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toBe(
      'powlab: --pool: put no user or password in the URL; pass them with --user and --password\n',
    );
    const noUser = await runCli(['mine', '--pool', 'stratum+tcp://127.0.0.1:3333']);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/^powlab: --user: name the pool user/);
    const zeros = await runCli(['mine', '--pool', 'stratum+tcp://127.0.0.1:3333', '--user', 'u', '--zeros', '10']);
    expect(zeros.code).toBe(2);
    expect(zeros.stderr).toMatch(/^powlab: --zeros: does not apply with --pool/);

    const pool = await TestPool.start({ password: 'the-right-one' });
    const refused = await runCli([
      'mine',
      '--pool',
      pool.url,
      '--user',
      'mallory',
      '--password',
      PASSWORD,
      '--threads',
      '1',
      '--json',
      '--datadir',
      join(root, 'refused'),
    ]);
    const port = pool.port;
    await pool.close();
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe('powlab: the pool refused user "mallory": Unauthorized worker (24)\n');
    expect(refused.stdout).not.toContain(PASSWORD);

    // The port the pool just left: nothing listens there now.
    const lostIt = /lost the pool \(connection to 127\.0\.0\.1:\d+ failed: ECONNREFUSED\); reconnecting in \d\.\d s/;
    const down = await runUntil(
      [
        'mine',
        '--pool',
        `stratum+tcp://127.0.0.1:${port}`,
        '--user',
        'u',
        '--threads',
        '1',
        '--datadir',
        join(root, 'down'),
      ],
      lostIt,
    );
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(lostIt);
    expect(down.stderr.trim().split('\n').at(-1)).toMatch(
      /^powlab: never got work from the pool at 127\.0\.0\.1:\d+ \(connection to 127\.0\.0\.1:\d+ failed: ECONNREFUSED\)$/,
    );
    expect(down.stdout).toMatch(/^stopped \(interrupted\): 0 shares accepted/m);
  }, 90_000);
});
