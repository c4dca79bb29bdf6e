// One front end, in TypeScript: no hand-written JavaScript or declaration file under src/, and no chart
// drawn by hand on a canvas (every chart is uPlot's, through src/ui/chart.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const sources = filesUnder('src');

describe('the sources', () => {
  it('hold no .js, .mjs, .cjs or .d.ts file (TypeScript is built, not written beside its output)', () => {
    const written = sources.filter((file) => /\.(m|c)?js$|\.d\.ts$/.test(file));
    expect(written).toEqual([]);
  });

  it('draw no chart by hand: no 2D canvas context anywhere in src/', () => {
    const drawing = sources.filter((file) => /getContext\(\s*['"`]2d['"`]/.test(readFileSync(file, 'utf8')));
    expect(drawing).toEqual([]);
  });

  it("declare the pool page's JSON once, in src/pool/api.ts, where the page and the server both read it", () => {
    const declaring = sources.filter((file) => /\binterface PoolSnapshot\b/.test(readFileSync(file, 'utf8')));
    expect(declaring.map((file) => file.split('\\').join('/'))).toEqual(['src/pool/api.ts']);
    const pageImports = sources
      .filter((file) => file.startsWith(join('src', 'ui')))
      .some((file) => readFileSync(file, 'utf8').includes("from '../../pool/api.js'"));
    expect(pageImports).toBe(true);
  });
});
