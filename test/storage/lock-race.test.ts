/**
 * Several `powlab mine` processes started at one instant on one datadir, against the built CLI:
 * exactly one may hold the lock and mine; every other says the datadir is in use. Both with no lock
 * yet and with a stale lock left by a dead process, which all of them try to take over at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';

const PROCESSES = 6;
// The old read-delete-create lock let 2-3 of 6 in on 3/30 (fresh) and 8/30 (stale) trials; 30 trials
// take about 45 s per case here, so the suite runs 4; POWLAB_LOCK_RACE_TRIALS=30 runs the full count.
const TRIALS = Number(process.env.POWLAB_LOCK_RACE_TRIALS ?? 4);

interface Racer {
  /** Says it is mining (it holds the lock), or has exited. */
  settled: () => boolean;
  mining: () => boolean;
  exited: Promise<{ code: number | null; stderr: string }>;
  stop: () => void;
}

/** A miner that never finds a block (--zeros 40): it runs until it is stopped, or exits at once when it has no lock. */
function racer(datadir: string): Racer {
  const child = spawn(
    process.execPath,
    [BIN, 'mine', '--zeros', '40', '--threads', '1', '--backend', 'js', '--datadir', datadir],
    { env: { ...process.env, NO_COLOR: '1' } },
  );
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  void exited.then(() => (done = true));
  const mining = () => stdout.includes('mining the built-in regtest chain');
  return { settled: () => done || mining(), mining, exited, stop: () => child.kill('SIGINT') };
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

async function race(datadir: string): Promise<{ winners: number; refusals: string[] }> {
  const racers = Array.from({ length: PROCESSES }, () => racer(datadir));
  // Every one either holds the lock and says it is mining, or exits refused; wait for all of them to get there.
  while (!racers.every((r) => r.settled())) await new Promise((resolve) => setTimeout(resolve, 50));
  const winners = racers.filter((r) => r.mining()).length;
  for (const r of racers) r.stop();
  const final = await Promise.all(racers.map((r) => r.exited));
  return { winners, refusals: final.filter((o) => o.code === 2).map((o) => o.stderr.trim()) };
}

describe('the datadir lock under racing starts', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-lock-race-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['no lock yet', () => undefined],
    ['a stale lock of a dead process', (datadir: string) => writeFileSync(join(datadir, 'LOCK'), String(deadPid()))],
  ])(
    `${PROCESSES} miners at once, ${TRIALS} trials, %s: exactly one runs`,
    async (name, prepare) => {
      for (let trial = 0; trial < TRIALS; trial++) {
        const datadir = join(root, `${name.replace(/\W+/g, '-')}-${trial}`);
        mkdirSync(datadir);
        prepare(datadir);
        const { winners, refusals } = await race(datadir);
        expect(winners, `trial ${trial}`).toBe(1);
        expect(refusals).toHaveLength(PROCESSES - 1);
        for (const line of refusals) expect(line).toMatch(/^powlab: datadir is in use by process \d+ \(.*LOCK\)$/);
        const verified = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
        expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, blocks: 0 });
      }
    },
    TRIALS * 10_000,
  );
});
