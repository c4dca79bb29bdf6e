// Every powlab command README.md and docs/ show, run as a reader would run it: in document order, with
// a fresh HOME (so a fresh ~/.powlab) per document, against the built CLI. Commands that would mine for
// long are shortened by the general rules in test/docs/shortened.mjs; a node or a pool a page points at
// is a real stand-in here (bcoin, the test pool). Each must exit 0.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcoinNode, type BcoinNode } from '../helpers/bcoin-node.js';
import { TestPool } from '../stratum/pool-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHORTENED = fileURLToPath(new URL('./shortened.mjs', import.meta.url));

/** A command a page shows, or a script block (a variable, a loop) run whole. */
interface DocCommand {
  file: string;
  line: number;
  text: string;
}

const POWLAB_LINE = /^(npx )?powlab\b|^node docs\/lab\/block-times\.mjs\b/;

/** The powlab commands in a page's code blocks: `$ ` lines where a block shows prompts, else its powlab lines. */
export function commandsIn(file: string, markdown: string): DocCommand[] {
  const lines = markdown.split('\n');
  const found: DocCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('```')) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    const body = lines.slice(start, end);
    i = end;
    if (!body.some((line) => /\bpowlab\b|block-times\.mjs/.test(line))) continue;
    if (body.some((line) => /\$\(|^for /.test(line))) {
      found.push({ file, line: start + 1, text: body.join('\n') });
      continue;
    }
    const prompted = body.some((line) => line.startsWith('$ '));
    body.forEach((raw, j) => {
      const line = prompted ? (raw.startsWith('$ ') ? raw.slice(2) : '') : raw;
      const command = line.replace(/\s+#.*$/, '').trim();
      if (POWLAB_LINE.test(command)) found.push({ file, line: start + j + 1, text: command });
    });
  }
  return found;
}

function pages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', ...docs.sort()];
}

function run(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-eo', 'pipefail', '-c', script],
      { env, cwd, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The page's form of the command, for the shims: `npx powlab` is `powlab` here (npx would only find the same link). */
const asRun = (text: string) =>
  text.replace(/\bnpx powlab\b/g, 'powlab').replace(/\bnode docs\/lab\/block-times\.mjs\b/g, 'block-times');

describe('the extraction', () => {
  it('finds prompt lines, plain lines and script blocks, and drops comments and output', () => {
    const page = [
      '```sh',
      '$ npx powlab hash 00 # a comment',
      '0000beef',
      '```',
      '```sh',
      'cd powlab',
      'powlab mine --blocks 1',
      '```',
      '```sh',
      'H=$(powlab explain --json)',
      'echo $H',
      '```',
    ].join('\n');
    expect(commandsIn('x.md', page).map((c) => [c.line, c.text])).toEqual([
      [2, 'npx powlab hash 00'],
      [7, 'powlab mine --blocks 1'],
      [10, 'H=$(powlab explain --json)\necho $H'],
    ]);
  });

  it('finds the commands of every page: README, the guides and the labs', () => {
    const files = new Set(
      pages().flatMap((file) => commandsIn(file, readFileSync(join(ROOT, file), 'utf8')).map((c) => c.file)),
    );
    for (const file of [
      'README.md',
      'docs/lab/0-first-block.md',
      'docs/lab/3-block-times.md',
      'docs/lab/4-extranonce.md',
      'docs/mining-on-a-node.md',
    ])
      expect(files).toContain(file);
  });
});

for (const file of pages()) {
  const commands = commandsIn(file, readFileSync(join(ROOT, file), 'utf8'));
  if (commands.length === 0) continue;
  const needsNode = commands.some((c) => /--rpc\b/.test(c.text));
  const needsPool = commands.some((c) => /--pool\b/.test(c.text));

  describe(`the commands of ${file}`, () => {
    const home = mkdtempSync(join(tmpdir(), 'powlab-doc-home-'));
    const work = join(home, 'work');
    const bin = join(home, 'bin');
    let node: BcoinNode | undefined;
    let pool: TestPool | undefined;
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1', PATH: `${bin}:${process.env.PATH}` };

    beforeAll(async () => {
      mkdirSync(work);
      mkdirSync(bin);
      for (const tool of ['powlab', 'block-times']) {
        writeFileSync(join(bin, tool), `#!/bin/sh\nexec "${process.execPath}" "${SHORTENED}" ${tool} "$@"\n`);
        chmodSync(join(bin, tool), 0o755);
      }
      if (needsNode) {
        // The page's password is "secret", and Bitcoin Core's cookie sits in ~/.bitcoin/regtest.
        node = await startBcoinNode({ apiKey: 'secret' });
        env.DOC_RPC_URL = node.url;
        mkdirSync(join(home, '.bitcoin', 'regtest'), { recursive: true });
        writeFileSync(join(home, '.bitcoin', 'regtest', '.cookie'), '__cookie__:secret');
      }
      if (needsPool) {
        pool = await TestPool.start();
        env.DOC_POOL_URL = pool.url;
      }
    }, 60_000);

    afterAll(async () => {
      await node?.close();
      await pool?.close();
      rmSync(home, { recursive: true, force: true });
    });

    for (const command of commands) {
      it(`${relative('.', command.file)}:${command.line}: ${command.text.split('\n')[0].slice(0, 90)}`, async () => {
        const result = await run(asRun(command.text), env, work);
        expect(result.stderr, `${command.text}\n${result.stderr}`).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
        expect(result.code, `${command.text}\nexited ${result.code}: ${result.stderr}`).toBe(0);
      }, 120_000);
    }
  });
}
