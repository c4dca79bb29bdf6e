/**
 * `bench --svg FILE`: a bench report as a bar chart, one bar a row, self-contained (no script, no
 * font files), so it reads on GitHub, in a browser and in a slide. The machine and the method are
 * written above the bars: a figure without them cannot be compared with anything.
 */
import { countOf, formatHashrate, formatNumber } from '../format/numbers.js';
import type { BenchReport, BenchResult } from '../miner/bench.js';

const WIDTH = 760;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 230;
const BAR_HEIGHT = 22;
const GAP = 8;
const LINE_HEIGHT = 18;
/** One colour a backend, the same in every chart. */
const COLOURS: Record<string, string> = { noble: '#9aa5b1', js: '#e0a100', wasm: '#3d7dd8', webgpu: '#2f9e63' };

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The machine in one line: CPU, threads, the SHA-relevant flags, Node. */
function machineLine(report: BenchReport): string {
  const { machine } = report;
  const flags = machine.cpuFlags ? ` [${machine.cpuFlags.join(' ') || 'no sse4_1/avx2/avx512f/sha_ni'}]` : '';
  return `${machine.cpu}, ${countOf(machine.cores, 'core')}${flags}, Node ${machine.node}, wasm ${machine.wasm}`;
}

function methodLine(report: BenchReport): string {
  const fixed = report.fixedWork;
  const how = fixed
    ? `fixed work: ${fixed.millions} million nonces, checksum ${fixed.checksum ? `${fixed.checksum.found} found, ${fixed.checksum.digest}` : 'DISAGREES between rows'}`
    : `${report.rounds} interleaved rounds of ${(report.seconds / report.rounds).toFixed(2)} s`;
  const energy = 'source' in report.energy ? `energy: ${report.energy.source}` : 'energy not measured';
  return `${how}; the median round; ${energy}`;
}

/** "wasm × 2 threads"; the GPU's row is one worker whatever the threads, so it is named by what it runs on. */
function rowLabel(row: BenchResult, report: BenchReport): string {
  if (row.backend !== 'webgpu') return `${row.backend} × ${countOf(row.threads, 'thread')}`;
  return report.gpu?.software ? 'webgpu (software)' : 'webgpu';
}

export function benchSvg(report: BenchReport): string {
  const most = Math.max(...report.results.map((r) => r.hashrate), 1);
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const header = [
    machineLine(report),
    methodLine(report),
    ...(report.gpu
      ? [
          `webgpu: ${report.gpu.device || report.gpu.name}${report.gpu.software ? ', a software renderer on the CPU, not a GPU' : ''}`,
        ]
      : []),
  ];
  const top = 30 + header.length * LINE_HEIGHT + 12;
  const height = top + report.results.length * (BAR_HEIGHT + GAP) + 16;
  const bars = report.results.map((r, i) => {
    const y = top + i * (BAR_HEIGHT + GAP);
    const width = Math.max(1, (r.hashrate / most) * barSpace);
    const value = [
      formatHashrate(r.hashrate),
      r.energy ? `${formatNumber(r.energy.joulesPerTerahash)} J/TH` : '',
      r.fixedWork ? `${r.fixedWork.seconds.toFixed(2)} s` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const middle = y + BAR_HEIGHT / 2 + 4;
    return [
      `  <text x="${LABEL_WIDTH - 8}" y="${middle}" text-anchor="end">${escape(rowLabel(r, report))}</text>`,
      `  <rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLOURS[r.backend] ?? '#666'}"><title>${escape(`${rowLabel(r, report)}: ${value}`)}</title></rect>`,
      `  <text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${middle}">${escape(value)}</text>`,
    ].join('\n');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="13">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="12" y="24" font-size="16" font-weight="bold">powlab bench</text>
${header.map((line, i) => `  <text x="12" y="${30 + (i + 1) * LINE_HEIGHT}" fill="#333">${escape(line)}</text>`).join('\n')}
${bars.join('\n')}
</svg>
`;
}
