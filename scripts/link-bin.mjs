// After `npm install`, put this package's own bin in node_modules/.bin, so that `npx powlab` runs the
// dist/ just built. npm links the bins of dependencies only; without this link npx would fetch the
// clone into its cache and build it again there (half a minute, silently), and `npm link` needs root.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binDir = join(root, 'node_modules', '.bin');
mkdirSync(binDir, { recursive: true });

for (const [name, target] of Object.entries(bin)) {
  const script = join(root, target);
  if (!existsSync(script)) throw new Error(`${target} is missing: build first (npm run build)`);
  chmodSync(script, 0o755);
  const link = join(binDir, name);
  if (existsSync(link) || isDanglingLink(link)) unlinkSync(link);
  if (process.platform === 'win32') {
    writeFileSync(`${link}.cmd`, `@node "%~dp0\\${relative(binDir, script)}" %*\r\n`);
  } else {
    symlinkSync(relative(binDir, script), link);
  }
}

function isDanglingLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
