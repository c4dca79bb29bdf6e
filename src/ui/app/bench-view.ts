/** The benchmark's table: the wasm core by thread count, WebGPU beside it, and an ASIC for scale. */
import { findPreset } from '../../economics/figures.js';
import { countOf, formatHashrate, formatLarge } from '../../format/numbers.js';
import type { BenchReport, BenchResult } from '../../miner/bench.js';
import { $ } from './dom.js';
import { pageError } from './words.js';

function addRow(cells: string[], data: Record<string, string>): void {
  const tr = document.createElement('tr');
  Object.assign(tr.dataset, data);
  cells.forEach((text, i) => {
    const cell = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) cell.setAttribute('scope', 'row');
    cell.textContent = text;
    tr.append(cell);
  });
  $('bench-table').querySelector('tbody')!.append(tr);
}

export function clearBench(): void {
  $('bench-table').querySelector('tbody')!.replaceChildren();
}

/** Show the rows; the fastest of them (CPU or GPU), for the odds elsewhere on the page. */
export function showBench(cpu: BenchReport, gpu: BenchReport | Error): BenchResult | undefined {
  const one = cpu.results.find((result) => result.threads === 1);
  for (const result of cpu.results) {
    addRow(
      [
        `CPU, ${countOf(result.threads, 'thread')} (wasm)`,
        formatHashrate(result.hashrate),
        formatHashrate(result.perThread),
        one && result.scaling !== null ? `${result.scaling.toFixed(2)}× of perfect scaling` : '',
      ],
      { threads: String(result.threads), hashrate: String(result.hashrate) },
    );
  }
  const rows = [...cpu.results];
  const fastestCpu = Math.max(...cpu.results.map((result) => result.hashrate));
  if (gpu instanceof Error) addRow(['WebGPU', 'not measured', '', pageError(gpu)], { backend: 'webgpu' });
  else {
    const [result] = gpu.results;
    // Where there is no GPU, a browser may offer a software renderer: the same CPU cores, not a GPU.
    const adapter = gpu.gpu;
    addRow(
      [
        !adapter
          ? 'WebGPU'
          : adapter.software
            ? `WebGPU in software, on the CPU: ${adapter.name}`
            : `WebGPU: ${adapter.name}`,
        formatHashrate(result.hashrate),
        '',
        `${(result.hashrate / fastestCpu).toFixed(2)}× the fastest CPU row`,
      ],
      { backend: 'webgpu', hashrate: String(result.hashrate) },
    );
    rows.push(result);
  }
  const fastest = rows.reduce<BenchResult | undefined>(
    (best, result) => (!best || result.hashrate > best.hashrate ? result : best),
    undefined,
  );
  if (!fastest) return undefined;
  const asic = findPreset('s21')!;
  const asicRate = asic.machine.find((figure) => figure.quantity === 'hashrate')!.figure as { value: number };
  addRow(
    [
      asic.describe,
      formatHashrate(asicRate.value),
      '',
      `${formatLarge(asicRate.value / fastest.hashrate)} × this device's fastest row`,
    ],
    {},
  );
  return fastest;
}
