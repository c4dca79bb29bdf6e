// `powlab pool` as a teacher starts it, with no options: beside `powlab serve` on its own default
// port, saying what a block and a share cost, and a share difficulty a laptop can meet.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HASHES_PER_DIFFICULTY } from '../../src/core/target.js';
import { SHARES_PER_BLOCK_AT_LEAST } from '../../src/pool/rules.js';
import type { PoolSnapshot } from '../../src/pool/api.js';
import { runCli } from '../helpers/run-cli.js';
import { cleanupsAfterEach, run, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-defaults-');

describe('powlab pool with its defaults', () => {
  it('runs beside powlab serve on their default ports, and caps a suggested share difficulty well below the block’s', async () => {
    const pool = run(['pool', '--datadir', datadir(), '--json'], cleanups);
    const serve = run(['serve', '--json'], cleanups);
    const listening = (await pool.waitFor((line) => line.type === 'listening')) as {
      stratum: string;
      page: string;
      networkDifficulty: number;
      hashesPerBlock: number;
      shareDifficulty: { start: number; min: number; max: number };
    };
    const served = (await serve.waitFor((line) => typeof line.url === 'string')) as { url: string };
    expect(new URL(listening.stratum.replace('stratum+tcp', 'http')).port).toBe('3333');
    expect(new URL(listening.page).port).toBe('8422');
    expect(new URL(served.url).port).toBe('8421');
    expect((await fetch(listening.page)).status).toBe(200);
    expect((await fetch(served.url)).status).toBe(200);

    // A block per 2^27 hashes; shares at most a sixteenth of that.
    // 2^27 as nBits can write it: the target is rounded to 3 bytes of mantissa.
    expect(Math.abs(listening.hashesPerBlock / 2 ** 27 - 1)).toBeLessThan(1e-6);
    expect(Math.abs((listening.networkDifficulty * HASHES_PER_DIFFICULTY) / 2 ** 27 - 1)).toBeLessThan(1e-4);
    expect(listening.shareDifficulty).toEqual({
      start: 0.001,
      min: 2 ** -16,
      max: listening.networkDifficulty / SHARES_PER_BLOCK_AT_LEAST,
    });

    // A miner asking for difficulty 1 (a block's worth 32 times over) gets the cap, and shares.
    const miner = run(
      ['mine', '--pool', listening.stratum, '--user', 'alice', '--threads', '1', '--suggest-difficulty', '1'].concat([
        '--json',
        '--datadir',
        datadir(),
      ]),
      cleanups,
    );
    const share = await pool.waitFor((line) => line.type === 'share' && line.accepted === true, 120_000);
    expect(share.difficulty).toBe(listening.shareDifficulty.max);
    const api = (await (await fetch(`${listening.page}api/pool`)).json()) as PoolSnapshot;
    expect(api.miners[0].difficulty).toBe(listening.shareDifficulty.max);
    expect(api.pool.shareDifficulty).toEqual(listening.shareDifficulty);
    miner.child.kill('SIGINT');
    await miner.exited;
  });

  it('prints what a block and a share cost at start, as lab 5 quotes it', async () => {
    const lab = readFileSync(new URL('../../docs/lab/5-pool.md', import.meta.url), 'utf8');
    const quoted = /```text\n([\s\S]*?)```/.exec(lab)![1].trim().split('\n');
    expect(quoted).toHaveLength(2);
    const result = await runCli(['pool', '--datadir', datadir(), '--port', '0', '--page-port', '0', '--duration', '1']);
    expect(result.code).toBe(0);
    const printed = result.stdout.split('\n');
    for (const line of quoted) expect(printed).toContain(line);
  });
});
