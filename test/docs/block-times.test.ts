import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

/** The little of the DOM the label check reads (the tests compile without the DOM library). */
interface SvgText {
  textContent: string | null;
  hasAttribute(name: string): boolean;
  getBBox(): { x: number; y: number; width: number; height: number };
}
declare const document: {
  querySelector(selector: 'svg'): {
    width: { baseVal: { value: number } };
    height: { baseVal: { value: number } };
    querySelectorAll(selector: 'text'): Iterable<SvgText>;
  } | null;
};

const SCRIPT = fileURLToPath(new URL('../../docs/lab/block-times.mjs', import.meta.url));

function run(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 60_000, cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the lab 3 script, docs/lab/block-times.mjs', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-block-times-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('mines the blocks asked for with powlab mine --json, reports against the prediction and draws the histogram', async () => {
    const out = join(root, 'times.svg');
    const result = await run(['--blocks', '12', '--zeros', '10', '--threads', '1', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^12 blocks at 10 zero bits; hashrate over all of them [0-9.]+ [kMG]?H\/s$/m);
    expect(result.stdout).toContain('expected hashes per block 2^10 = 1024');
    expect(result.stdout).toMatch(/standard deviation \/ mean [0-9.]+ \(1 for an exponential\)/);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const bars = [
      ...svg.matchAll(/<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="([0-9.]+)" fill="#7aa6d6"\/>/g),
    ];
    expect(bars.length).toBeGreaterThanOrEqual(8);
    const points = /<polyline points="([0-9., ]+)"/
      .exec(svg)![1]
      .split(' ')
      .map((point) => point.split(',').map(Number));
    // The predicted curve stays inside the plot (y from 50 down to 360), however the bars fall.
    expect(points.every(([, y]) => y >= 50 && y <= 360)).toBe(true);
    expect(svg).toContain('<title>12 blocks at 10 zero bits');
  });

  it('writes to a temporary file it names when no --out is given, never into the directory it runs in', async () => {
    const cwd = mkdtempSync(join(root, 'cwd-'));
    const result = await run(['--blocks', '4', '--zeros', '8', '--threads', '1'], cwd);
    expect(result.code).toBe(0);
    const out = /^histogram written to (.+)$/m.exec(result.stdout)![1];
    expect(out.startsWith(tmpdir())).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    const svg = readFileSync(out, 'utf8');
    // Round ticks on the time axis: a step of 1, 2 or 5 times a power of ten, from 0.
    const ticks = [...svg.matchAll(/text-anchor="middle">([0-9.]+)<\/text>/g)].map((m) => Number(m[1]));
    const step = ticks[1] - ticks[0];
    expect(ticks[0]).toBe(0);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect([1, 2, 5]).toContain(Number((step / 10 ** Math.floor(Math.log10(step) + 1e-9)).toFixed(6)));
    ticks.forEach((tick, i) => expect(tick).toBeCloseTo(i * step, 9));
    expect(svg).toContain('blocks mined, per bin of');
    expect(svg).toContain('predicted: exponential, mean hashes / hashrate');
  });

  it('draws every label whole inside the picture and none over another, as Chromium lays them out', async () => {
    const out = join(root, 'labels.svg');
    const result = await run(['--blocks', '6', '--zeros', '8', '--threads', '1', '--out', out]);
    expect(result.code).toBe(0);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.setContent(readFileSync(out, 'utf8'));
      const { width, height, boxes } = await page.evaluate(() => {
        const svg = document.querySelector('svg')!;
        const texts = [...svg.querySelectorAll('text')].filter((text) => !text.hasAttribute('transform'));
        return {
          width: svg.width.baseVal.value,
          height: svg.height.baseVal.value,
          boxes: texts.map((text) => {
            const box = text.getBBox();
            return {
              text: text.textContent!,
              x: box.x,
              y: box.y,
              right: box.x + box.width,
              bottom: box.y + box.height,
            };
          }),
        };
      });
      for (const box of boxes) {
        expect(box.x, box.text).toBeGreaterThanOrEqual(0);
        expect(box.right, box.text).toBeLessThanOrEqual(width);
        expect(box.y, box.text).toBeGreaterThanOrEqual(0);
        expect(box.bottom, box.text).toBeLessThanOrEqual(height);
      }
      const overlapping = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter((b) => a.x < b.right && b.x < a.right && a.y < b.bottom && b.y < a.bottom)
          .map((b) => `${a.text} / ${b.text}`),
      );
      expect(overlapping).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('--help says how to run it, on stdout, exit 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: node docs\/lab\/block-times.mjs/);
    expect(result.stdout).toContain('--out FILE');
  });

  it('refuses a count it cannot draw, in one line', async () => {
    const result = await run(['--blocks', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('block-times: --blocks must be a whole number of at least 2, got 1\n');
  });
});
