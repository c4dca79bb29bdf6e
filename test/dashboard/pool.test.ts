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
  work: { difficulty: number };
  shares: { kind: string; hash: string; difficulty: number; accepted: boolean }[];
}

describe('mine --pool --dashboard', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-dash-pool-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('shows the shares the pool accepted and the share difficulty, and never the password', async () => {
    const pool = await TestPool.start({ difficulty: 0.0002, password: PASSWORD });
    const run = await startDashboardRun(['--pool', pool.url, '--user', 'class.laptop7', '--password', PASSWORD, '--threads', '2', '--duration', '60', '--datadir', join(root, 'data')]);
    const events = await EventReader.open(new URL('api/events', run.url).href);
    try {
      let text = '';
      let status = {} as PoolStatus;
      for (const deadline = Date.now() + 40_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
        text = await (await fetch(new URL('api/status', run.url))).text();
        status = JSON.parse(text) as PoolStatus;
        if (status.sharesFound >= 3) break;
      }
      expect(status.source).toEqual({ name: `the pool at 127.0.0.1:${pool.port}`, finds: 'share' });
      expect(status.sharesFound).toBeGreaterThanOrEqual(3);
      expect(status.work.difficulty).toBeCloseTo(0.0002, 9);
      const judged = new Map(pool.shares.map((share) => [share.hash, share.accepted]));
      for (const share of status.shares) {
        expect(share.kind).toBe('share');
        expect(share.accepted).toBe(judged.get(share.hash));
        expect(share.difficulty).toBeGreaterThanOrEqual(0.0002 * (1 - 1e-9));
      }
      expect(status.shares.some((share) => share.accepted)).toBe(true);
      await events.next('found');
      expect(text).not.toContain(PASSWORD);
      expect(JSON.stringify(events.events)).not.toContain(PASSWORD);
    } finally {
      events.close();
      expect(await run.stop()).toBe(0);
      await pool.close();
    }
    expect(run.stderr()).not.toContain(PASSWORD);
  });
});
