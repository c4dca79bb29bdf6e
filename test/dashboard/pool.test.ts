import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestPool } from '../stratum/pool-server.js';
import { EventReader, startDashboardRun } from './dashboard-run.js';

const PASSWORD = 'dashboard-must-never-show-this';

interface PoolStatus {
  source: { name: string; finds: string };
  sharesFound: number;
  blocksFound: number;
  work: { difficulty: number };
  shares: Find[];
  blocks: Find[];
}
interface Find {
  kind: string;
  block: boolean;
  hash: string;
  difficulty: number;
  verdict: string;
}

describe('mine --pool --dashboard', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-dash-pool-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('shows each share with the pool’s verdict, counts one that is also a block as both, and never shows the password', async () => {
    // nbits 1e07ffff: a target about 0.4 times the share target, so some shares are blocks.
    const pool = await TestPool.start({ difficulty: 0.0002, password: PASSWORD, nbits: '1e07ffff' });
    const run = await startDashboardRun([
      '--pool',
      pool.url,
      '--user',
      'class.laptop7',
      '--password',
      PASSWORD,
      '--threads',
      '2',
      '--duration',
      '60',
      '--datadir',
      join(root, 'data'),
    ]);
    const events = await EventReader.open(new URL('api/events', run.url).href);
    try {
      let text = '';
      let status = {} as PoolStatus;
      for (
        const deadline = Date.now() + 40_000;
        Date.now() < deadline;
        await new Promise((resolve) => setTimeout(resolve, 250))
      ) {
        text = await (await fetch(new URL('api/status', run.url))).text();
        status = JSON.parse(text) as PoolStatus;
        if (status.sharesFound >= 3 && status.blocksFound >= 1) break;
      }
      expect(status.source).toEqual({ name: `the pool at 127.0.0.1:${pool.port}`, finds: 'share' });
      expect(status.sharesFound).toBeGreaterThanOrEqual(3);
      expect(status.blocksFound).toBeGreaterThanOrEqual(1);
      expect(status.work.difficulty).toBeCloseTo(0.0002, 9);
      const judged = new Map(pool.shares.map((share) => [share.hash, share]));
      for (const share of status.shares) {
        expect(share.kind).toBe('share');
        // Stale and lost shares never reach the pool; what it judged shows as it judged it.
        expect(share.verdict === 'accepted').toBe(judged.get(share.hash)?.accepted === true);
        if (judged.has(share.hash)) expect(share.block).toBe(judged.get(share.hash)!.block);
        expect(share.difficulty).toBeGreaterThanOrEqual(0.0002 * (1 - 1e-9));
      }
      expect(status.shares.some((share) => share.verdict === 'accepted')).toBe(true);
      // A share that is also a block is in both lists, and in both counts.
      expect(status.blocks.length).toBeGreaterThanOrEqual(1);
      for (const block of status.blocks) expect(status.shares.map((share) => share.hash)).toContain(block.hash);
      expect(status.blocksFound).toBe(status.shares.filter((share) => share.block).length);
      await events.next('found');
      expect(text).not.toContain(PASSWORD);
      expect(JSON.stringify(events.events)).not.toContain(PASSWORD);
    } finally {
      events.close();
      expect(await run.stop()).toBe(130);
      await pool.close();
    }
    expect(run.stderr()).not.toContain(PASSWORD);
  });
});
