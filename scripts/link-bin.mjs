// After every build (`npm install` builds too), link node_modules/.bin/powlab to the dist/ just built, so that `npx powlab` finds it
// there and starts at once. The package declares no "bin" on purpose: npm exec (npm 10 and 11) treats
// a bin of the project itself as a package to install into its cache, which re-runs `prepare` (a full
// rebuild of dist/, half a minute in silence) before every changed run; and `npm link` needs root.
import { chmodSync, existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(root, 'dist', 'cli', 'bin.js');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'powlab');

if (!existsSync(script)) throw new Error(`${relative(root, script)} is missing: build first (npm run build)`);
chmodSync(script, 0o755);
mkdirSync(binDir, { recursive: true });
if (isLink(link) || existsSync(link)) unlinkSync(link);
if (process.platform === 'win32') writeFileSync(`${link}.cmd`, `@node "%~dp0\\${relative(binDir, script)}" %*\r\n`);
else symlinkSync(relative(binDir, script), link);

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
