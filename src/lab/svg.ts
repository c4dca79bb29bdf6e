/**
 * Each lab's chart as one self-contained SVG (no script, no font files): the theory as a curve over
 * the range that matters, the run's measurement as points on it, so a glance says whether they agree.
 */
import type { DoubleSpendReport } from './double-spend.js';
import type { SelfishReport } from './selfish.js';
import type { StaleReport } from './stale.js';
import { nakamotoSuccess, rosenfeldSuccess, selfishRevenue, staleFirstOrder } from './theory.js';

const WIDTH = 640;
const HEIGHT = 400;
const PLOT = { left: 64, right: WIDTH - 24, top: 56, bottom: HEIGHT - 56 };
const THEORY = '#3d7dd8';
const SECOND = '#9aa5b1';
const MEASURED = '#d9480f';

interface Curve {
  label: string;
  colour: string;
  points: [number, number][];
  dashed?: boolean;
}

interface Point {
  x: number;
  y: number;
  /** A vertical interval around y. */
  range?: [number, number];
  label: string;
}

interface Chart {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  xMax: number;
  /** Steps between ticks on the x axis (4 unless said). */
  xSteps?: number;
  yMax: number;
  /** The legend in the top right corner, where the curves leave it room. */
  legendRight?: boolean;
  curves: Curve[];
  points: Point[];
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const round = (value: number) => Math.round(value * 10) / 10;

function draw(chart: Chart): string {
  const x = (value: number) => round(PLOT.left + (value / chart.xMax) * (PLOT.right - PLOT.left));
  const y = (value: number) => round(PLOT.bottom - (value / chart.yMax) * (PLOT.bottom - PLOT.top));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${PLOT.left}" y="22" font-size="15" font-weight="600">${escape(chart.title)}</text>`,
    `<text x="${PLOT.left}" y="40" fill="#555">${escape(chart.subtitle)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const yv = (chart.yMax * i) / 4;
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y(yv)}" y2="${y(yv)}" stroke="#eee"/>`,
      `<text x="${PLOT.left - 6}" y="${y(yv) + 4}" text-anchor="end">${+yv.toFixed(2)}</text>`,
    );
  }
  const xSteps = chart.xSteps ?? 4;
  for (let i = 0; i <= xSteps; i++) {
    const xv = (chart.xMax * i) / xSteps;
    parts.push(`<text x="${x(xv)}" y="${PLOT.bottom + 16}" text-anchor="middle">${+xv.toFixed(2)}</text>`);
  }
  parts.push(
    `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<line x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 20}" text-anchor="middle">${escape(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`,
  );
  for (const curve of chart.curves) {
    const path = curve.points.map(([px, py]) => `${x(px)},${y(Math.min(py, chart.yMax))}`).join(' ');
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${curve.colour}" stroke-width="2"${curve.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
  }
  for (const point of chart.points) {
    if (point.range)
      parts.push(
        `<line x1="${x(point.x)}" x2="${x(point.x)}" y1="${y(point.range[0])}" y2="${y(point.range[1])}" stroke="${MEASURED}" stroke-width="2"/>`,
      );
    parts.push(
      `<circle cx="${x(point.x)}" cy="${y(point.y)}" r="5" fill="${MEASURED}"/>`,
      `<text x="${x(point.x) + 8}" y="${y(point.y) - 8}" fill="${MEASURED}">${escape(point.label)}</text>`,
    );
  }
  const legend = [
    ...chart.curves.map((curve) => ({ label: curve.label, colour: curve.colour })),
    { label: 'measured', colour: MEASURED },
  ];
  const legendLeft = chart.legendRight ? PLOT.right - 230 : PLOT.left + 10;
  legend.forEach((entry, index) => {
    const top = PLOT.top + 8 + index * 18;
    parts.push(
      `<rect x="${legendLeft}" y="${top - 9}" width="12" height="4" fill="${entry.colour}"/>`,
      `<text x="${legendLeft + 18}" y="${top - 3}">${escape(entry.label)}</text>`,
    );
  });
  parts.push('</svg>\n');
  return parts.join('\n');
}

function sample(from: number, to: number, f: (value: number) => number, steps = 80): [number, number][] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const value = from + ((to - from) * i) / steps;
    return [value, f(value)];
  });
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function staleSvg(report: StaleReport): string {
  // Round thousands of milliseconds, a fifth of the way past the longest latency.
  const xMax = Math.ceil((Math.max(...report.runs.map((run) => run.latencyMs)) * 1.2) / 1000 || 1) * 1000;
  return draw({
    title: 'Stale blocks against link latency',
    subtitle: `${report.nodes} honest nodes, a block every ${report.spacing} s, ${report.blocks} blocks found per latency`,
    xLabel: 'one-way latency per link (ms)',
    yLabel: 'share of blocks found that end stale',
    xMax,
    yMax: 1,
    curves: [
      {
        label: '1 - e^(-latency/spacing), first order',
        colour: THEORY,
        points: sample(0, xMax, (ms) => staleFirstOrder(ms / 1000, report.spacing)),
      },
    ],
    points: report.runs.map((run) => ({ x: run.latencyMs, y: run.staleRate, label: percent(run.staleRate) })),
  });
}

export function selfishSvg(report: SelfishReport): string {
  return draw({
    title: 'Selfish mining: share of the best chain against hash share',
    subtitle: `γ = ${report.gamma.toFixed(2)} measured; ${report.bestChain.length} blocks in the best chain; threshold α = ${report.threshold.toFixed(3)}`,
    xLabel: 'α, the selfish miner’s hash share',
    yLabel: 'its share of the best chain',
    xMax: 0.5,
    xSteps: 5,
    yMax: 1,
    curves: [
      {
        label: `Eyal–Sirer R(α, γ = ${report.gamma.toFixed(2)})`,
        colour: THEORY,
        points: sample(0, 0.5, (a) => Math.max(0, selfishRevenue(a, report.gamma))),
      },
      {
        label: 'honest mining: R = α',
        colour: SECOND,
        dashed: true,
        points: [
          [0, 0],
          [0.5, 0.5],
        ],
      },
    ],
    points: [
      {
        x: report.alpha,
        y: report.revenueShare,
        label: `α ${report.alpha.toFixed(3)}, ${percent(report.revenueShare)}`,
      },
    ],
  });
}

export function doubleSpendSvg(report: DoubleSpendReport): string {
  const zMax = Math.max(6, report.z + 2);
  const steps = Array.from({ length: zMax + 1 }, (_, z) => z);
  return draw({
    title: 'Double spend: the attacker’s chance against confirmations',
    subtitle: `q = ${report.q.toFixed(3)} measured; ${report.trials} trials at z = ${report.z}; the bar is the 99% interval`,
    xLabel: 'z, confirmations the merchant waits for',
    yLabel: 'chance the payment is undone',
    xMax: zMax,
    xSteps: zMax,
    legendRight: true,
    yMax: 1,
    curves: [
      {
        label: 'Nakamoto 2008 (Poisson)',
        colour: THEORY,
        points: steps.map((z) => [z, nakamotoSuccess(report.q, z)]),
      },
      {
        label: 'Rosenfeld 2014 (exact)',
        colour: SECOND,
        dashed: true,
        points: steps.map((z) => [z, rosenfeldSuccess(report.q, z)]),
      },
    ],
    points: [{ x: report.z, y: report.successRate, range: report.interval99, label: percent(report.successRate) }],
  });
}
