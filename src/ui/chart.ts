/**
 * Every chart on every page, on uPlot: a line chart of values over time and a span chart (rows of
 * ranges along one axis, as the nonce maps draw each worker's nonces). Colours come from the shared
 * tokens (src/ui/tokens.css), read when a chart is drawn, so a chart follows the page's light or dark
 * scheme; each chart keeps to its container's width as the page narrows or widens.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A series' colour: the total, or worker `n` (from 0; the palette cycles past its eight). */
export type SeriesColour = 'total' | number;
const PALETTE_SIZE = 8;

/** A token's value on the page now (tokens.css), e.g. tokenColour('muted'). */
function tokenColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
}

export function seriesColour(which: SeriesColour): string {
  return tokenColour(which === 'total' ? 'series-total' : `series-${(which % PALETTE_SIZE) + 1}`);
}

function axis(options: uPlot.Axis = {}): uPlot.Axis {
  const line = tokenColour('line');
  return {
    stroke: tokenColour('muted'),
    grid: { stroke: line, width: 1 },
    ticks: { stroke: line, width: 1 },
    font: '12px system-ui, sans-serif',
    ...options,
  };
}

/**
 * One uPlot in a container: rebuilt when the scheme turns light or dark (its colours are fixed at
 * construction), resized to the container's width, data kept across both.
 */
abstract class Chart {
  private plot?: uPlot;
  private readonly resizer: ResizeObserver;
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.rebuild();
  protected data: uPlot.AlignedData = [[]];

  constructor(protected readonly container: HTMLElement) {
    this.resizer = new ResizeObserver(() => this.fit());
    this.resizer.observe(container);
    this.scheme.addEventListener('change', this.onScheme);
  }

  protected abstract options(width: number): uPlot.Options;

  /** The chart's height for its current data. */
  protected abstract height(): number;

  private width(): number {
    return Math.max(200, this.container.clientWidth);
  }

  protected rebuild(): void {
    this.plot?.destroy();
    this.plot = new uPlot(this.options(this.width()), this.data, this.container);
  }

  protected show(data: uPlot.AlignedData): void {
    this.data = data;
    if (!this.plot) return this.rebuild();
    if (this.plot.height !== this.height()) this.fit();
    this.plot.setData(data);
  }

  private fit(): void {
    const size = { width: this.width(), height: this.height() };
    if (this.plot && (this.plot.width !== size.width || this.plot.height !== size.height)) this.plot.setSize(size);
  }

  destroy(): void {
    this.resizer.disconnect();
    this.scheme.removeEventListener('change', this.onScheme);
    this.plot?.destroy();
    this.plot = undefined;
  }
}

export interface LineSeries {
  label: string;
  colour: SeriesColour;
  /** Line width in CSS pixels (default 2). */
  width?: number;
  /** A line through the points (default); steps, holding each value until the next; or dots alone, where values are not null. */
  style?: 'line' | 'steps' | 'dots';
}

const DOT_PX = 9;

/** How uPlot draws a series of `style`. */
function drawn(style: LineSeries['style'], colour: string): Pick<uPlot.Series, 'paths' | 'points'> {
  if (style === 'dots')
    return { paths: () => null, points: { show: true, size: DOT_PX, fill: colour, stroke: colour } };
  return {
    points: { show: false },
    ...(style === 'steps' ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}),
  };
}

export interface LineChartOptions {
  height: number;
  /** How the x axis words a value (default: the number). */
  xValue?: (value: number) => string;
  /** How the y axis and the legend word a value. */
  yValue: (value: number) => string;
  /** A logarithmic y axis, for values that move by factors (a difficulty); default: linear from 0. */
  yLog?: boolean;
}

/** The powers of ten from `min` to `max`. */
function decades(min: number, max: number): number[] {
  const splits: number[] = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    const value = 10 ** power;
    if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) splits.push(value);
  }
  return splits;
}

/** Lines over one shared x axis; the y axis starts at 0, or is logarithmic. */
export class LineChart extends Chart {
  private series: LineSeries[] = [];

  constructor(
    container: HTMLElement,
    private readonly settings: LineChartOptions,
  ) {
    super(container);
  }

  /** Draws `ys` (one list per series, each as long as `x`; null: no point there) against `x`; a change of series rebuilds the chart. */
  update(series: LineSeries[], x: number[], ys: (number | null)[][]): void {
    const changed =
      series.length !== this.series.length ||
      series.some((line, i) => line.label !== this.series[i].label || line.colour !== this.series[i].colour);
    this.series = series;
    this.data = [x, ...ys];
    if (changed) this.rebuild();
    else this.show(this.data);
  }

  protected height(): number {
    return this.settings.height;
  }

  protected options(width: number): uPlot.Options {
    const { xValue, yValue } = this.settings;
    return {
      width,
      height: this.settings.height,
      scales: {
        x: { time: false },
        y: this.settings.yLog ? { distr: 3, log: 10 } : { range: (_, __, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        axis(xValue ? { values: (_, ticks) => ticks.map(xValue) } : {}),
        axis({
          values: (_, ticks) => ticks.map(yValue),
          size: 80,
          // A log axis is labelled at its powers of ten alone: uPlot's eight ticks between them would overlap.
          ...(this.settings.yLog
            ? { splits: (_: uPlot, __: number, min: number, max: number) => decades(min, max) }
            : {}),
        }),
      ],
      series: [
        {},
        ...this.series.map((line): uPlot.Series => ({
          label: line.label,
          stroke: seriesColour(line.colour),
          width: line.width ?? 2,
          ...drawn(line.style, seriesColour(line.colour)),
          value: (_, value) => (value === null ? '–' : yValue(value)),
        })),
      ],
      // The legend names the lines; values under the cursor would hide the names on a phone.
      legend: { live: false },
    };
  }
}

/** One row of a span chart: its name, its colour and the [start, end) ranges it covers. */
export interface SpanRow {
  label: string;
  colour: SeriesColour;
  spans: readonly (readonly [number, number])[];
}

const ROW_PX = 22;
/** The x axis under the rows: its labels and their gap. */
const AXIS_PX = 56;

/** Rows of spans along an axis from 0 to `end`: each row's ranges drawn as bars, a pixel wide at least. */
export class SpanChart extends Chart {
  private rows: SpanRow[] = [];
  private end = 1;

  constructor(
    container: HTMLElement,
    private readonly xValue: (value: number) => string,
  ) {
    super(container);
  }

  update(rows: SpanRow[], end: number): void {
    const changed = rows.length !== this.rows.length;
    this.rows = rows;
    this.end = end;
    // uPlot wants one value per series at each x: each row sits at its middle, across the whole axis.
    this.data = [[0, end], ...rows.map((_, i) => [i + 0.5, i + 0.5])];
    if (changed) this.rebuild();
    else this.show(this.data);
  }

  protected height(): number {
    return Math.max(1, this.rows.length) * ROW_PX + AXIS_PX;
  }

  private bars(plot: uPlot, seriesIndex: number): uPlot.Series.Paths {
    const index = seriesIndex - 1;
    const top = plot.valToPos(index + 0.9, 'y', true);
    const bottom = plot.valToPos(index + 0.1, 'y', true);
    const path = new Path2D();
    for (const [start, stop] of this.rows[index].spans) {
      if (start >= this.end) continue;
      const left = plot.valToPos(start, 'x', true);
      const right = plot.valToPos(Math.min(stop, this.end), 'x', true);
      // At least a device pixel: a quarter second of hashing is a sliver of 2^32, and still real.
      path.rect(left, top, Math.max(1, right - left), bottom - top);
    }
    return { fill: path };
  }

  protected options(width: number): uPlot.Options {
    return {
      width,
      height: this.height(),
      scales: {
        x: { time: false, range: () => [0, this.end] },
        // The first row at the top, as a list reads.
        y: { dir: -1, range: () => [0, Math.max(1, this.rows.length)] },
      },
      axes: [
        // Room for a label like "4.29G" between ticks.
        axis({ values: (_, ticks) => ticks.map(this.xValue), space: 70 }),
        axis({
          splits: () => this.rows.map((_, i) => i + 0.5),
          values: (_, splits) => splits.map((split) => this.rows[Math.floor(split)]?.label ?? ''),
          grid: { show: false },
          size: 70,
        }),
      ],
      series: [
        {},
        ...this.rows.map((row): uPlot.Series => ({
          label: row.label,
          fill: seriesColour(row.colour),
          stroke: seriesColour(row.colour),
          paths: (plot, seriesIndex) => this.bars(plot, seriesIndex),
          points: { show: false },
        })),
      ],
      legend: { show: false },
      cursor: { show: false },
    };
  }
}
