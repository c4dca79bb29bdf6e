#!/usr/bin/env node
/**
 * Honest miners' accepted work with and without a hostile client hammering the pool: two runs of
 * `powlab pool` with two `powlab mine --pool` clients each; in the second, a client reconnects
 * over and over sending junk, floods, invalid shares and endless lines. Prints both rates and their
 * ratio. A measurement, not a test (its numbers depend on the machine):
 *
 *   node scripts/pool-hostile.mjs [seconds per run, default 30]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const seconds = Number(process.argv[2] ?? 30);

function start(args) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const lines = [];
  let partial = '';
  child.stdout.on('data', (chunk) => {
    partial += chunk;
    const whole = partial.split('\n');
    partial = whole.pop();
    for (const line of whole) if (line.startsWith('{')) lines.push(JSON.parse(line));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, lines, exited };
}

function hostile(port, stop) {
  const tally = { connections: 0, drops: 0 };
  const attacks = [
    () => 'GET / HTTP/1.1\r\n'.repeat(50),
    () => '{"id":1,"method":"mining.configure","params":[[],{}]}\n'.repeat(1000),
    () =>
      '{"id":1,"method":"mining.subscribe","params":[]}\n{"id":2,"method":"mining.authorize","params":["evil","x"]}\n' +
      Array.from(
        { length: 30 },
        (_, i) =>
          `{"id":${i + 3},"method":"mining.submit","params":["evil","1.1","00000000","00000000","${String(i).padStart(8, '0')}"]}\n`,
      ).join(''),
    () => 'x'.repeat(100_000),
  ];
  const loop = () => {
    if (stop.aborted) return;
    const socket = connect({ host: '127.0.0.1', port }, () => {
      tally.connections++;
      socket.write(attacks[tally.connections % attacks.length]());
    });
    // Read what the pool says, or the socket never notices the pool closing it.
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      tally.drops++;
      setTimeout(loop, 20);
    });
  };
  for (let i = 0; i < 4; i++) loop();
  return tally;
}

async function runOnce(withHostile) {
  const datadir = mkdtempSync(join(tmpdir(), 'powlab-hostile-'));
  const pool = start([
    'pool',
    '--datadir',
    datadir,
    '--port',
    '0',
    '--page-port',
    '0',
    '--zeros',
    '30',
    '--share-seconds',
    '0.2',
    '--json',
    '--duration',
    String(seconds + 3),
  ]);
  while (!pool.lines.some((line) => line.type === 'listening')) await new Promise((resolve) => setTimeout(resolve, 50));
  const url = pool.lines.find((line) => line.type === 'listening').stratum;
  const port = Number(url.split(':').pop());
  const miners = ['honest1', 'honest2'].map((user) =>
    start([
      'mine',
      '--pool',
      url,
      '--user',
      user,
      '--threads',
      '1',
      '--duration',
      String(seconds),
      '--json',
      '--datadir',
      datadir + '-' + user,
    ]),
  );
  const stop = { aborted: false };
  const tally = withHostile ? hostile(port, stop) : undefined;
  await Promise.all(miners.map((miner) => miner.exited));
  const measured = miners
    .map((miner) => miner.lines.find((line) => line.type === 'summary')?.hashrate ?? 0)
    .reduce((a, b) => a + b, 0);
  stop.aborted = true;
  await pool.exited;
  for (const dir of [datadir, datadir + '-honest1', datadir + '-honest2'])
    rmSync(dir, { recursive: true, force: true });
  const honest = pool.lines.filter(
    (line) => line.type === 'share' && line.accepted && line.worker.startsWith('honest'),
  );
  const work = honest.reduce((sum, line) => sum + line.difficulty, 0);
  const rejected = pool.lines.filter(
    (line) => line.type === 'share' && !line.accepted && String(line.worker).startsWith('honest'),
  ).length;
  const drops = pool.lines
    .filter((line) => line.type === 'dropped')
    .map((line) => line.reason.replace(/\d+/g, 'N').replace(/ \(last.*$/, ''));
  const reasons = {};
  for (const reason of drops) reasons[reason] = (reasons[reason] ?? 0) + 1;
  const hashrate = (work * 2 ** 32) / seconds;
  return {
    shares: honest.length,
    sharesPerSecond: honest.length / seconds,
    hashrate,
    minersMeasured: measured,
    acceptedPerHash: hashrate / measured,
    rejected,
    hostileConnections: tally?.connections ?? 0,
    dropReasons: reasons,
  };
}

// Interleaved, so a change in what else the machine does falls on both.
const runs = [];
for (const withHostile of [false, true, false, true]) runs.push({ withHostile, ...(await runOnce(withHostile)) });
const mean = (list, key) => list.reduce((sum, run) => sum + run[key], 0) / list.length;
const quiet = runs.filter((run) => !run.withHostile);
const attacked = runs.filter((run) => run.withHostile);
console.log(JSON.stringify({ seconds, runs }, null, 1));
console.log(
  JSON.stringify({
    // Accepted work per hash the honest miners did: the pool's share of any slowdown, apart from the CPU the attack takes.
    acceptedPerHashQuiet: mean(quiet, 'acceptedPerHash'),
    acceptedPerHashAttacked: mean(attacked, 'acceptedPerHash'),
    acceptedPerHashRatio: mean(attacked, 'acceptedPerHash') / mean(quiet, 'acceptedPerHash'),
    acceptedShareRateRatio: mean(attacked, 'sharesPerSecond') / mean(quiet, 'sharesPerSecond'),
    hostileConnectionsPerRun: mean(attacked, 'hostileConnections'),
  }),
);
