// The one static file server's loader, as every powlab page server uses it (dashboard, pool page,
// powlab serve): files by path with their types, index.html at / as well, and a page folder that
// was never built refused with one line that says what to do.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PowlabError } from '../../src/errors.js';
import { loadPage } from '../../src/web/http.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function pageDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'powlab-load-page-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

describe('loadPage', () => {
  it('serves each file a page uses with its type, index.html at / too, and nothing else', () => {
    const dir = pageDir({ 'index.html': '<p>hi', 'app.js': '1', 'sha256d.wasm': '\0asm', 'notes.txt': 'private' });
    mkdirSync(join(dir, 'sub'));
    const assets = loadPage(dir, 'a page');
    expect(Object.fromEntries([...assets].map(([path, asset]) => [path, asset.type]))).toEqual({
      '/': 'text/html; charset=utf-8',
      '/index.html': 'text/html; charset=utf-8',
      '/app.js': 'text/javascript; charset=utf-8',
      '/sha256d.wasm': 'application/wasm',
    });
    expect(assets.get('/')!.body.toString()).toBe('<p>hi');
  });

  it.each([
    [
      'a folder without index.html',
      () => pageDir({ 'app.js': '1' }),
      /^a page: .* has no index\.html \(rebuild with npm run build\)$/,
    ],
    [
      'no folder',
      () => join(tmpdir(), 'powlab-no-such-page'),
      /^a page: its page is missing from .* \(rebuild with npm run build\)$/,
    ],
  ])('refuses %s with one line', (_case, dir, message) => {
    expect(() => loadPage(dir(), 'a page')).toThrow(PowlabError);
    expect(() => loadPage(dir(), 'a page')).toThrow(message);
  });
});
