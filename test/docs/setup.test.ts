// The README's set-up is the machine CI tests on: one list of system packages (scripts/system-packages.sh)
// that the README runs and names and .ci/run runs, and one policy for dependencies' install scripts.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const readme = read('README.md');
const setUp = readme.slice(
  readme.indexOf('## Set up and run'),
  readme.indexOf('\n## ', readme.indexOf('## Set up and run') + 1),
);
const packages = execFileSync(join(root, 'scripts/system-packages.sh'), ['--list'], { encoding: 'utf8' })
  .trim()
  .split('\n');

describe("the README's set-up", () => {
  it('runs the one list of system packages, and names each of them', () => {
    expect(packages.length).toBeGreaterThan(0);
    expect(setUp).toMatch(/^scripts\/system-packages\.sh\b/m);
    for (const name of packages) expect(setUp, name).toContain(`\`${name}\``);
  });

  it('is what .ci/run does: the same script, then npm ci, then the README’s test command', () => {
    const commands = read('.ci/run')
      .split('\n')
      .filter((line) => line && !line.startsWith('#') && !/^(set|cd) /.test(line));
    expect(commands).toEqual(['scripts/system-packages.sh', 'npm ci', 'npm test']);
    expect(setUp).toMatch(/^npm test\b/m);
  });

  it('decides, in allowScripts, on every dependency that has an install script, and names each refused one', () => {
    const allowScripts = JSON.parse(read('package.json')).allowScripts as Record<string, boolean>;
    const withScripts = installedPackages()
      .filter(({ scripts }) => scripts.preinstall || scripts.install || scripts.postinstall)
      .map(({ name }) => name);
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(allowScripts, name).toHaveProperty(name);
    for (const [name, allowed] of Object.entries(allowScripts))
      if (!allowed) expect(setUp, name).toContain(`\`${name}\``);
  });
});

/** Every package in node_modules (scoped ones included, nested ones too), with its lifecycle scripts. */
function installedPackages(folder = join(root, 'node_modules')): { name: string; scripts: Record<string, string> }[] {
  const found: { name: string; scripts: Record<string, string> }[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...installedPackages(path));
      continue;
    }
    if (!existsSync(join(path, 'package.json'))) continue;
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    found.push({ name: manifest.name, scripts: manifest.scripts ?? {} });
    if (existsSync(join(path, 'node_modules'))) found.push(...installedPackages(join(path, 'node_modules')));
  }
  return found;
}
