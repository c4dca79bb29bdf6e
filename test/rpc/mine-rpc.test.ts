/**
 * `powlab mine --rpc` against a real full node: bcoin 1.0.2 on regtest, in this process, with BIP 34
 * enforced from height 1. The node, not powlab, judges every block.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { startBcoinNode, type BcoinNode } from '../helpers/bcoin-node.js';
import { hexToBytes } from '../../src/core/bytes.js';
import { newRunTag, TemplateWork } from '../../src/sources/rpc/work.js';
import { directMiner, solve } from './direct-mining.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function nodeForTest(options: { port?: number; apiKey?: string } = {}): Promise<BcoinNode> {
  const node = await startBcoinNode(options);
  cleanups.push(() => node.close());
  return node;
}

function datadirForTest(): string {
  const dir = mkdtempSync(join(tmpdir(), 'powlab-rpc-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const rpcArgs = (node: BcoinNode, datadir: string) => [
  'mine',
  '--rpc',
  node.url,
  '--rpc-password',
  node.apiKey,
  '--datadir',
  datadir,
  '--threads',
  '2',
];

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The CLI as a running process whose output can be watched while it runs. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  cleanups.push(() => void child.kill('SIGKILL'));
  const waitFor = async (stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 20_000) => {
    const began = Date.now();
    while (!pattern.test(stream === 'stdout' ? stdout : stderr)) {
      if (Date.now() - began > timeoutMs)
        throw new Error(`no ${pattern} on ${stream} in ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, exited, waitFor, output: () => ({ stdout, stderr }) };
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
/** The block lines: every line but the summary, which comes last. */
const blockLines = (stdout: string) => {
  const lines = jsonLines(stdout);
  expect(lines.at(-1)).toMatchObject({ type: 'summary' });
  return lines.slice(0, -1);
};

describe('powlab mine --rpc on a bcoin regtest node', () => {
  it('mines 5 blocks the node accepts, and its tip is the last of them', async () => {
    const node = await nodeForTest();
    const datadir = datadirForTest();
    const run = await runCli([...rpcArgs(node, datadir), '--blocks', '5', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const blocks = blockLines(run.stdout);
    expect(blocks.map((block) => [block.height, block.accepted])).toEqual(
      [1, 2, 3, 4, 5].map((height) => [height, true]),
    );
    expect(node.height()).toBe(5);
    expect(node.tip()).toBe(blocks[4].hash);
    for (const block of blocks) expect((await node.blockAt(block.height)).rhash()).toBe(block.hash);
    // Every block was on disk before it went to the node.
    expect(readdirSync(join(datadir, 'found')).sort()).toEqual(blocks.map((block) => `${block.hash}.json`).sort());
    // A password never appears in what powlab prints.
    expect(run.stdout + run.stderr).not.toContain(node.apiKey);
  });

  it('puts mempool transactions and, once segwit is active, the witness commitment in its blocks', async () => {
    const node = await nodeForTest();
    const datadir = datadirForTest();
    const direct = await directMiner({
      url: node.url,
      password: node.apiKey,
      payoutScriptHex: node.payoutScriptHex,
      datadir,
    });
    cleanups.push(() => direct.close());
    // bcoin's regtest activates segwit at height 432 (its mempool takes witness spends a few blocks
    // later); coinbases spend after 100 blocks.
    await direct.mine(440);
    const txid = await node.spendCoinbase(1);
    const run = await runCli([...rpcArgs(node, datadir), '--script', node.payoutScriptHex, '--blocks', '3', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const blocks = blockLines(run.stdout);
    expect(blocks.map((block) => block.height)).toEqual([441, 442, 443]);
    expect(node.height()).toBe(443);
    const first = await node.blockAt(441);
    expect(first.txs.map((tx: { txid(): string }) => tx.txid())).toContain(txid);
    for (const height of [441, 442, 443]) {
      const block = await node.blockAt(height);
      expect(block.getCommitmentHash(), `height ${height}`).not.toBeNull();
      expect(block.txs[0].outputs[0].script.toRaw().toString('hex')).toBe(node.payoutScriptHex);
    }
  }, 120_000);

  it('switches to the new tip within a second or two when a block comes from elsewhere', async () => {
    const node = await nodeForTest();
    const datadir = datadirForTest();
    // A target no laptop meets in this test: only blocks from elsewhere move the chain.
    const cli = startCli([...rpcArgs(node, datadir), '--zeros', '60', '--duration', '20']);
    await cli.waitFor('stdout', /mining on the regtest node/);
    const direct = await directMiner({
      url: node.url,
      password: node.apiKey,
      payoutScriptHex: node.payoutScriptHex,
      datadir: datadirForTest(),
    });
    cleanups.push(() => direct.close());
    const [block] = await direct.mine(1);
    const seen = Date.now();
    await cli.waitFor('stdout', new RegExp(`new tip from elsewhere: now mining height 2 on ${block.hash}`), 5_000);
    expect(Date.now() - seen).toBeLessThan(3_000);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(cli.output().stdout).toMatch(/stopped \(interrupted\): 0 blocks accepted/);
  }, 60_000);

  it('waits for a node that is down, saying so, and mines once it is up', async () => {
    const port = await freePort();
    const apiKey = 'patience';
    const datadir = datadirForTest();
    const cli = startCli([
      'mine',
      '--rpc',
      `http://127.0.0.1:${port}`,
      '--rpc-password',
      apiKey,
      '--datadir',
      datadir,
      '--threads',
      '1',
      '--blocks',
      '1',
      '--json',
    ]);
    await cli.waitFor('stderr', /retrying in 0\.5 s/);
    await cli.waitFor('stderr', /retrying in 1 s/);
    const node = await nodeForTest({ port, apiKey });
    expect(await cli.exited).toBe(0);
    expect(cli.output().stderr).toMatch(/answers again/);
    expect(jsonLines(cli.output().stdout)[0]).toMatchObject({ height: 1, accepted: true });
    expect(node.height()).toBe(1);
  }, 60_000);

  it('stops at once with one line when the password is wrong', async () => {
    const node = await nodeForTest();
    const began = Date.now();
    const run = await runCli(
      ['mine', '--rpc', node.url, '--rpc-password', 'not-the-password', '--datadir', datadirForTest(), '--blocks', '1'],
      { timeoutMs: 20_000 },
    );
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^powlab: .*(authentication|401|credentials)/i);
    expect(run.stderr).not.toContain('not-the-password');
    expect(node.height()).toBe(0);
  });

  it('still sends a block it cannot save, and says so', async () => {
    const node = await nodeForTest();
    // A datadir that is a file: nothing can be saved under it.
    const blocked = join(datadirForTest(), 'not-a-directory');
    writeFileSync(blocked, '');
    const direct = await directMiner({
      url: node.url,
      password: node.apiKey,
      payoutScriptHex: node.payoutScriptHex,
      datadir: blocked,
    });
    cleanups.push(() => direct.close());
    const [block] = await direct.mine(1);
    expect(block).toMatchObject({ accepted: true, file: null });
    expect(direct.warnings.join('\n')).toMatch(/could not save found block .*; sending the block to the node anyway/);
    expect(node.height()).toBe(1);
  });

  it("reports the node's reason when it rejects a block", async () => {
    const node = await nodeForTest();
    const datadir = datadirForTest();
    const direct = await directMiner({
      url: node.url,
      password: node.apiKey,
      payoutScriptHex: node.payoutScriptHex,
      datadir,
    });
    cleanups.push(() => direct.close());
    const honest = (await direct.source.nextWork())!;
    // A coinbase that pays itself one satoshi more than the template allows: powlab's own checks
    // cannot see that, the node's consensus rules can.
    const greedy = new TemplateWork(
      { ...honest.template, coinbaseValue: honest.template.coinbaseValue + 1n },
      { payoutScript: hexToBytes(node.payoutScriptHex), runTag: newRunTag(), id: 'greedy' },
    );
    const verdict = await direct.source.submit(solve(greedy));
    expect(verdict).toMatchObject({ accepted: false, reason: 'bad-cb-amount' });
    expect(node.height()).toBe(0);
  });
});
