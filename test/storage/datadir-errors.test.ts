/**
 * A datadir powlab cannot use says why in one line naming the path: a lock that is a folder, a
 * datadir that is a file, a read-only file system (a real read-only mount, where this machine lets
 * the test make one).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function refusal(datadir: string): Promise<{ code: number; line: string }> {
  const result = await runCli([
    'mine',
    '--zeros',
    '8',
    '--blocks',
    '1',
    '--threads',
    '1',
    '--backend',
    'js',
    '--datadir',
    datadir,
  ]);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  return { code: result.code, line: lines[0] };
}

/** A read-only tmpfs, when mounting is allowed here (root with CAP_SYS_ADMIN); else undefined. */
function readOnlyMount(): string | undefined {
  const dir = join(root, 'read-only');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return undefined;
  }
}

describe('a datadir powlab cannot use', () => {
  it('a lock that is a folder', async () => {
    const datadir = join(root, 'lock-folder');
    mkdirSync(join(datadir, 'LOCK'), { recursive: true });
    const { code, line } = await refusal(datadir);
    expect(code).toBe(2);
    expect(line).toBe(
      `powlab: ${join(datadir, 'LOCK')} is a folder, not powlab's lock file: remove it if no powlab uses this datadir`,
    );
  });

  it('a datadir that is a file, or inside one', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(await refusal(file)).toEqual({
      code: 2,
      line: `powlab: cannot create the datadir ${file}: it is a file, not a folder`,
    });
    const inside = join(file, 'regtest');
    expect(await refusal(inside)).toEqual({
      code: 2,
      line: `powlab: cannot create the datadir ${inside}: ${file} is a file, not a folder`,
    });
  });

  const mounted = readOnlyMount();
  afterAll(() => void (mounted && execFileSync('umount', [mounted])));
  it.skipIf(!mounted)('a read-only file system (needs a tmpfs mount: root with CAP_SYS_ADMIN)', async () => {
    const missing = join(mounted!, 'regtest');
    expect(await refusal(missing)).toEqual({
      code: 2,
      line: `powlab: cannot create the datadir ${missing}: the file system is read-only (EROFS)`,
    });
    expect(await refusal(mounted!)).toEqual({
      code: 2,
      line: `powlab: cannot lock the datadir: cannot create ${join(mounted!, 'LOCK')}: the file system is read-only (EROFS)`,
    });
  });
});
