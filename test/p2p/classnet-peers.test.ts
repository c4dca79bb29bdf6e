/**
 * Must-show 2 of issue 24, shortened to seconds: two powlab nodes on classnet, one listening and one
 * connecting, both mining until each has found a block, then both stopped at once (Ctrl-C): they
 * report the same tip, and each one's chain holds blocks paid to the other's address.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';

const ALICE = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
const BOB = 'bcrt1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qzf4jry';

/** One line of `powlab node --json`. */
interface Event {
  type: string;
  event?: string;
  found?: number;
  tip?: { height: number; hash: string };
}

interface NodeRun {
  /** The port it listens on, once it says. */
  port: Promise<number>;
  /** Resolves once it has mined a block and has a peer. */
  minedWithPeer: Promise<void>;
  /** Its JSON events, once it exits. */
  events: Promise<Event[]>;
  /** Ctrl-C. */
  interrupt(): void;
}

function startNode(args: string[]): NodeRun {
  const child = spawn(process.execPath, [BIN, 'node', '--json', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let sayPort: (port: number) => void;
  const port = new Promise<number>((resolve) => (sayPort = resolve));
  let sayMined: () => void;
  const minedWithPeer = new Promise<void>((resolve) => (sayMined = resolve));
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
    const listening = /"type":"listening".*?"port":(\d+)/.exec(stdout);
    if (listening) sayPort(Number(listening[1]));
    if (stdout.includes('"from":"self"') && stdout.includes('"event":"connect"')) sayMined();
  });
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const events = new Promise<Event[]>((resolve, reject) =>
    child.on('exit', (code) =>
      // Ctrl-C is how this run ends: the node stops mining, hands over its last blocks, and exits 0.
      code === 0
        ? resolve(
            stdout
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line) as Event),
          )
        : reject(new Error(`exit ${code}: ${stderr}`)),
    ),
  );
  return { port, minedWithPeer, events, interrupt: () => child.kill('SIGINT') };
}

async function payees(datadir: string): Promise<Set<string>> {
  const { stdout } = await runCli(['chain', 'list', '--datadir', datadir, '--json']);
  return new Set(
    stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { payee: string }).payee),
  );
}

describe('two powlab nodes on classnet', () => {
  it('mine together and end on the same tip, each chain holding the other’s blocks', async () => {
    const chain = ['--network', 'classnet', '--spacing', '1', '--interval', '4', '--mine', '--threads', '1'];
    const dirA = mkdtempSync(join(tmpdir(), 'powlab-node-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'powlab-node-b-'));
    const a = startNode([...chain, '--datadir', dirA, '--port', '0', '--address', ALICE]);
    const b = startNode([
      ...chain,
      '--datadir',
      dirB,
      '--port',
      '0',
      '--connect',
      `127.0.0.1:${await a.port}`,
      '--address',
      BOB,
    ]);
    // Both stop at the same moment, as a class told to stop does.
    await Promise.all([a.minedWithPeer, b.minedWithPeer]);
    a.interrupt();
    b.interrupt();
    const [eventsA, eventsB] = await Promise.all([a.events, b.events]);
    const summaryA = eventsA.at(-1)!;
    const summaryB = eventsB.at(-1)!;
    expect(summaryA.type).toBe('summary');
    expect(summaryB.tip).toEqual(summaryA.tip);
    expect(summaryA.found).toBeGreaterThan(0);
    expect(summaryB.found).toBeGreaterThan(0);
    expect(eventsB.some((e) => e.type === 'peer' && e.event === 'connect')).toBe(true);
    for (const dir of [dirA, dirB]) {
      const paid = await payees(dir);
      expect(paid.has(ALICE) && paid.has(BOB)).toBe(true);
    }
  }, 60_000);
});
