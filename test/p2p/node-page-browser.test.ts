/**
 * `powlab node --page-port` in Chromium: two classnet nodes mining together, the page of the listening
 * one shows blocks by both finders in their own colours and the peer that connected, at 390 px without
 * scrolling sideways, and /api/node says what `chain list --all --json` says about the same tip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeSnapshot } from '../../src/p2p/api.js';
import { BIN, runCli } from '../helpers/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';
const CHAIN = ['--network', 'classnet', '--spacing', '1', '--interval', '4', '--mine', '--threads', '1'];

declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
};

/** A node started with --json, and the first line of its output that `pick` finds something in. */
function startNode(args: string[]): {
  child: ChildProcess;
  first<T>(pick: (event: Record<string, unknown>) => T | undefined): Promise<T>;
} {
  const child = spawn(process.execPath, [BIN, 'node', '--json', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const lines: Record<string, unknown>[] = [];
  const waiting: (() => void)[] = [];
  let buffered = '';
  child.stdout.on('data', (data: Buffer) => {
    buffered += data.toString();
    const whole = buffered.split('\n');
    buffered = whole.pop()!;
    for (const line of whole) lines.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiting.splice(0)) wake();
  });
  const first = <T>(pick: (event: Record<string, unknown>) => T | undefined) =>
    new Promise<T>((resolve, reject) => {
      const look = () => {
        for (const line of lines) {
          const found = pick(line);
          if (found !== undefined) return resolve(found);
        }
        if (child.exitCode !== null) return reject(new Error(`the node exited ${child.exitCode}`));
        waiting.push(look);
      };
      look();
    });
  return { child, first };
}

describe('powlab node --page-port in Chromium', () => {
  const nodes: ChildProcess[] = [];
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    // Ctrl-C, and wait for each to hand over its last blocks and close its datadir.
    await Promise.all(
      nodes.map(
        (node) =>
          new Promise((resolve) =>
            node.exitCode !== null ? resolve(0) : (node.once('exit', resolve), node.kill('SIGINT')),
          ),
      ),
    );
  });

  it('shows the block tree by finder and the peer, and /api/node agrees with chain list on the tip', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    const listeningDir = mkdtempSync(join(tmpdir(), 'powlab-node-page-'));
    const listening = startNode([...CHAIN, '--datadir', listeningDir, '--port', '0', '--page-port', '0']);
    nodes.push(listening.child);
    const url = await listening.first((event) => (event.type === 'page' ? (event.url as string) : undefined));
    const port = await listening.first((event) => (event.type === 'listening' ? (event.port as number) : undefined));
    const dialling = startNode([
      ...CHAIN,
      '--datadir',
      mkdtempSync(join(tmpdir(), 'powlab-node-page-')),
      '--port',
      '0',
      '--connect',
      `127.0.0.1:${port}`,
    ]);
    nodes.push(dialling.child);

    browser = await chromium.launch({ executablePath: CHROMIUM });
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(url);
    // Live over Server-Sent Events: the page fills in as blocks come from both sides.
    await page.waitForFunction(
      () => {
        const peer = document.querySelectorAll('#peers li[data-address]')[0]?.getAttribute('data-address');
        const froms = [...Array.from(document.querySelectorAll('#tree rect'))].map((rect) =>
          rect.getAttribute('data-from'),
        );
        return peer !== undefined && froms.includes('self') && froms.includes(peer);
      },
      undefined,
      { timeout: 60_000 },
    );
    const peer = (await page.locator('#peers li[data-address]').first().getAttribute('data-address'))!;
    expect(await page.locator('#peers li').first().textContent()).toContain('inbound');
    const selfFill = await page.locator('#tree rect[data-from="self"]').first().getAttribute('fill');
    const peerFill = await page.locator(`#tree rect[data-from="${peer}"]`).first().getAttribute('fill');
    expect(selfFill).not.toBe(peerFill);
    expect(await page.locator(`#finders li[data-finder="${peer}"]`).count()).toBe(1);
    const width = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    expect(problems).toEqual([]);

    // The peer's blocks are in: stop it, so that the tip moves only by the listening node's own finds, and
    // compare once the tip held still across the listing.
    await new Promise((resolve) => (dialling.child.once('exit', resolve), dialling.child.kill('SIGINT')));
    let compared = false;
    for (let attempt = 0; attempt < 60 && !compared; attempt++) {
      const before = (await (await fetch(`${url}api/node`)).json()) as NodeSnapshot;
      const { stdout } = await runCli(['chain', 'list', '--all', '--datadir', listeningDir, '--json']);
      const after = (await (await fetch(`${url}api/node`)).json()) as NodeSnapshot;
      if (before.tip.hash !== after.tip.hash) continue;
      const listed = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { height: number; hash: string; prev: string; active: boolean });
      const tip = listed.filter((block) => block.active).at(-1)!;
      expect(after.tip).toEqual({ height: tip.height, hash: tip.hash });
      const byHash = new Map(listed.map((block) => [block.hash, block]));
      for (const block of after.blocks)
        expect({ height: block.height, prev: block.prev, active: block.active }).toEqual({
          height: byHash.get(block.hash)?.height,
          prev: byHash.get(block.hash)?.prev,
          active: byHash.get(block.hash)?.active,
        });
      expect(after.blocks.filter((block) => block.height > after.tip.height - 30).length).toBe(
        listed.filter((block) => block.height > tip.height - 30).length,
      );
      compared = true;
    }
    expect(compared).toBe(true);
  }, 180_000);
});
