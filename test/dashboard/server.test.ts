import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { EventReader, rawRequest, startDashboardRun, type DashboardRun } from './dashboard-run.js';

interface Status {
  run: string;
  seq: number;
  running: boolean;
  source: { name: string; finds: string };
  label: string;
  threads: number;
  hashrate: number;
  meanHashrate: number;
  hashes: number;
  elapsedSeconds: number;
  work: { hashes: number; expectedHashes: number; difficulty: number; extranonce: number };
  next: { expectedSeconds: number | null; chanceWithinHour: number };
  best: { session: Best | null; allTime: Best | null };
  scoreboard: (Best & { kind: string; at: string | null })[];
  workers: { index: number; hashes: number; hashrate: number; ranges: [number, number][]; covered: number }[];
  blocks: (Best & { kind: string; height: number; header: string; nonce: number; hashes: number })[];
  blocksFound: number;
  history?: Sample[];
  sample: Sample | null;
}
interface Sample {
  t: number;
  hashrate: number;
  workers: number[];
}
interface Best {
  hash: string;
  zeros: number;
  difficulty: number;
}

/** The block hash of a header, by node:crypto: double SHA-256, shown reversed. */
const blockHash = (headerHex: string) => {
  const once = createHash('sha256').update(Buffer.from(headerHex, 'hex')).digest();
  return Buffer.from(createHash('sha256').update(once).digest()).reverse().toString('hex');
};
const zeroBits = (displayHex: string) => 256 - BigInt(`0x${displayHex}`).toString(2).length;

function fetchRaw(url: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  const { port, pathname, search } = new URL(url);
  return rawRequest(Number(port), pathname + search, options);
}

async function status(url: string): Promise<Status> {
  const response = await fetch(new URL('api/status', url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Status;
}

/**
 * The run's status once it satisfies `ok`: waits on the event stream for a snapshot that does, then
 * reads /api/status (that snapshot or a newer one), never a clock.
 */
async function statusWhen(url: string, ok: (value: Status) => boolean): Promise<Status> {
  const stream = await EventReader.open(new URL('api/events', url).href);
  try {
    for (;;) {
      if (!ok((await stream.next('status')) as unknown as Status)) continue;
      const value = await status(url);
      if (ok(value)) return value;
    }
  } finally {
    stream.close();
  }
}

describe('the dashboard server of a real mine run', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-dash-'));
  const datadir = join(root, 'regtest');
  let run: DashboardRun;
  let events: EventReader;

  beforeAll(async () => {
    run = await startDashboardRun(['--zeros', '16', '--threads', '2', '--datadir', datadir]);
    events = await EventReader.open(new URL('api/events', run.url).href);
  });
  afterAll(async () => {
    events?.close();
    await run?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('prints its address as the first JSON line: this machine, the port the system chose', () => {
    const url = new URL(run.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
  });

  it('GET /api/status gives the run: hashrate, hashes, workers and their nonce ranges, odds, best hashes, blocks', async () => {
    const first = await statusWhen(run.url, (s) => s.hashrate > 0 && s.blocksFound >= 3);
    expect(first.running).toBe(true);
    expect(first.source).toEqual({ name: 'the built-in regtest chain', finds: 'block' });
    expect(first.hashrate).toBeGreaterThan(0);
    expect(first.hashes).toBeGreaterThan(0);
    // --zeros 16 is 2^240 - 1, which compact bits round to 1f00ffff: 0xffff × 256^(0x1f - 3).
    const target = 0xffffn << (8n * (0x1fn - 3n));
    const expected = Number((1n << 256n) / (target + 1n));
    expect(expected).toBe(65537);
    expect(first.work.expectedHashes).toBe(expected);
    expect(first.work.difficulty).toBe(Number(0xffffn << 208n) / Number(target));
    expect(first.next.expectedSeconds).toBeCloseTo(expected / first.hashrate, 9);
    expect(first.next.chanceWithinHour).toBeCloseTo(-Math.expm1((-first.hashrate * 3600) / expected), 12);

    expect(first.workers.map((w) => w.index)).toEqual([0, 1]);
    expect(first.workers.reduce((sum, w) => sum + w.hashes, 0)).toBe(first.hashes);
    // Each worker's hashrate is its share of the same reading: together they are the run's.
    expect(first.workers.reduce((sum, w) => sum + w.hashrate, 0)).toBeCloseTo(first.hashrate, 3);
    for (const worker of first.workers) {
      let covered = 0;
      for (const [start, end] of worker.ranges) {
        expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
        expect(0 <= start && start < end && end <= 2 ** 32).toBe(true);
        covered += end - start;
      }
      expect(worker.covered).toBe(covered);
    }
    // The workers share one header's nonces: no nonce is handed to two of them.
    const all = first.workers.flatMap((w) => w.ranges).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < all.length; i++) expect(all[i][0]).toBeGreaterThanOrEqual(all[i - 1][1]);

    const later = await statusWhen(run.url, (s) => s.seq > first.seq);
    expect(later.hashes).toBeGreaterThanOrEqual(first.hashes);
    expect(later.elapsedSeconds).toBeGreaterThan(first.elapsedSeconds);
    expect(later.run).toBe(first.run);
    expect(later.history!.length).toBeGreaterThan(0);
    expect(later.history!.at(-1)).toEqual(later.sample);
    expect(later.sample).toEqual({
      t: later.elapsedSeconds,
      hashrate: later.hashrate,
      workers: later.workers.map((w) => w.hashrate),
    });
  });

  it('each block it lists is one the run printed, with its true hash, zero bits and difficulty', async () => {
    const s = await statusWhen(run.url, (value) => value.blocks.length >= 3);
    expect(s.blocksFound).toBeGreaterThanOrEqual(s.blocks.length);
    // Newest first.
    expect(s.blocks.map((b) => b.height)).toEqual(s.blocks.map((b) => b.height).sort((a, b) => b - a));
    const printed = () => new Map(run.results.map((block) => [block.hash as string, block]));
    await run.printedWhen((results) => s.blocks.every((block) => results.some((r) => r.hash === block.hash)));
    for (const block of s.blocks) {
      expect(block.kind).toBe('block');
      expect(blockHash(block.header)).toBe(block.hash);
      expect(block.zeros).toBe(zeroBits(block.hash));
      expect(block.zeros).toBeGreaterThanOrEqual(16);
      expect(block.difficulty).toBeCloseTo(Number(0xffffn << 208n) / Number(BigInt(`0x${block.hash}`)), 6);
      expect(printed().get(block.hash)).toMatchObject({
        height: block.height,
        header: block.header,
        nonce: block.nonce,
        hashes: block.hashes,
      });
    }
  });

  it('keeps a scoreboard best first, topped by the best hash of the run, which is also in best.json', async () => {
    const s = await statusWhen(run.url, (value) => value.scoreboard.length >= 3);
    const values = s.scoreboard.map((entry) => BigInt(`0x${entry.hash}`));
    expect(values).toEqual([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(s.scoreboard[0].hash).toBe(s.best.session!.hash);
    // A fresh datadir: this run's best is the best ever here.
    expect(s.best.allTime).toEqual(s.best.session);
    for (const entry of s.scoreboard) expect(entry.zeros).toBe(zeroBits(entry.hash));
    // best.json is written the moment a best is found, the snapshot up to a second later: wait for them to meet.
    const saved = () => JSON.parse(readFileSync(join(datadir, 'best.json'), 'utf8')) as Best;
    const latest = await statusWhen(run.url, (value) => value.best.allTime?.hash === saved().hash);
    expect(latest.best.allTime).toEqual(saved());
  });

  it('streams the same snapshots as Server-Sent Events, with the history first and each block as it is found', async () => {
    const first = (await events.next('status')) as unknown as Status;
    expect(Array.isArray(first.history)).toBe(true);
    const second = (await events.next('status')) as unknown as Status;
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.history).toBeUndefined();
    // Instead of the history, the one sample the server added to it.
    expect(second.sample).toEqual({
      t: second.elapsedSeconds,
      hashrate: second.hashrate,
      workers: second.workers.map((w) => w.hashrate),
    });
    expect(second.hashes).toBeGreaterThanOrEqual(first.hashes);
    const found = (await events.next('found')) as unknown as Status['blocks'][number];
    expect(blockHash(found.header)).toBe(found.hash);
    await run.printedWhen((results) => results.some((r) => r.hash === found.hash));
    expect(run.results.find((r) => r.hash === found.hash)).toMatchObject({ height: found.height, nonce: found.nonce });
  });

  it('explains a found header at /api/explain, and refuses one that is not a header', async () => {
    const [block] = (await status(run.url)).blocks;
    const explained = (await (await fetch(new URL(`api/explain?header=${block.header}`, run.url))).json()) as {
      fields: { name: string }[];
      atHashrate: { hashrate: number };
    };
    expect(explained).toMatchObject({
      hash: block.hash,
      meetsTarget: true,
      leadingZeroBits: block.zeros,
      header: block.header,
    });
    expect(explained.fields.map((f) => f.name)).toEqual(['version', 'prevHash', 'merkleRoot', 'time', 'bits', 'nonce']);
    expect(explained.atHashrate.hashrate).toBeGreaterThan(0);
    const bad = await fetch(new URL('api/explain?header=00ff', run.url));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/header must be 80 bytes/);
  });

  it('serves its page and assets from itself with a same-origin policy, and nothing else', async () => {
    const page = await fetchRaw(run.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.body).toContain('id="hashrate"');
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      expect(asset.startsWith('/')).toBe(true);
      expect((await fetchRaw(new URL(asset, run.url).href)).status).toBe(200);
    }
    expect((await fetchRaw(new URL('nothing-here', run.url).href)).status).toBe(404);
    expect((await fetchRaw(new URL('../../etc/passwd', run.url).href)).status).toBe(404);
    expect((await fetchRaw(new URL('api/status', run.url).href, { method: 'POST' })).status).toBe(405);
  });

  it('answers only requests addressed to this machine (a DNS-rebinding page gets nothing)', async () => {
    const rebound = await fetchRaw(new URL('api/status', run.url).href, { headers: { host: 'attacker.example:80' } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('hashrate');
    const local = await fetchRaw(new URL('api/status', run.url).href, {
      headers: { host: `localhost:${new URL(run.url).port}` },
    });
    expect(local.status).toBe(200);
  });
});

describe('the end of a dashboard run', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-dash-end-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('on Ctrl-C ends the streams with a last snapshot, stops listening and exits 0', async () => {
    const run = await startDashboardRun(['--zeros', '16', '--threads', '1', '--datadir', join(root, 'ctrl-c')]);
    const events = await EventReader.open(new URL('api/events', run.url).href);
    try {
      await events.next('status');
      const code = await run.stop();
      expect(code).toBe(130);
      expect(run.stderr()).toBe('');
      const end = (await events.next('end')) as unknown as Status;
      expect(end.running).toBe(false);
      expect(end.sample).toBeNull();
      await expect(fetch(new URL('api/status', run.url))).rejects.toThrow();
    } finally {
      events.close();
      await run.stop();
    }
  });

  it('a second run on the same datadir starts its scoreboard with the best of the first', async () => {
    const datadir = join(root, 'again');
    const first = await runCli(['mine', '--zeros', '16', '--threads', '1', '--blocks', '2', '--datadir', datadir]);
    expect(first.code, first.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(datadir, 'best.json'), 'utf8')) as Best;
    const again = await startDashboardRun([
      '--zeros',
      '16',
      '--threads',
      '1',
      '--datadir',
      datadir,
      '--duration',
      '30',
    ]);
    try {
      const s = await status(again.url);
      // The first snapshot is taken as the run starts: the best known is the first run's, unless this one beat it at once.
      expect(BigInt(`0x${s.best.allTime!.hash}`)).toBeLessThanOrEqual(BigInt(`0x${saved.hash}`));
      expect(s.scoreboard.find((entry) => entry.kind === 'earlier')).toMatchObject({
        hash: saved.hash,
        zeros: saved.zeros,
        at: null,
      });
    } finally {
      expect(await again.stop()).toBe(130);
    }
  });
});
