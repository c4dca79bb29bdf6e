// The dashboard's chain card, on a chain that retargets (classnet): block times against the spacing,
// the difficulty by height with each retarget marked, and the retargets and reorgs as they come.
import type { ChainStatus, ReorgEvent, RetargetEvent } from '../../dashboard/api.js';
import { formatDifficulty } from '../../format/numbers.js';
import { LineChart } from '../chart.js';
import { byId, el, say } from '../dom.js';

const CHART_PX = 220;

/** Heights are whole: the ticks between them stay unlabelled. */
const heightLabel = (height: number) => (Number.isInteger(height) ? String(height) : '');
/** Block times are whole seconds; the axis's ticks may fall between. */
const secondsLabel = (seconds: number) => `${Number(seconds.toPrecision(3))} s`;

function retargetWords(event: RetargetEvent, tipHeight: number): string {
  const clamped = event.clamp === 'none' ? '' : ` (clamped to ${event.clampedTimespan} s)`;
  const factor = (event.clampedTimespan / event.targetTimespan).toFixed(3);
  const when = event.height === tipHeight + 1 ? ' (the next block)' : '';
  return `block ${event.height}${when}: blocks ${event.firstHeight} to ${event.lastHeight} took ${event.actualTimespan} s, aimed for ${event.targetTimespan} s${clamped}: target × ${factor}${event.capped ? ' (capped at the limit)' : ''}, difficulty ${formatDifficulty(event.oldDifficulty)} → ${formatDifficulty(event.newDifficulty)}`;
}

function reorgWords(event: ReorgEvent): string {
  return `depth ${event.depth} at ${new Date(event.at).toLocaleTimeString()}: the blocks above ${event.fork.height} left the active chain; tip ${event.oldTip.height} → ${event.newTip.height}`;
}

export class ChainCard {
  private readonly times = new LineChart(byId('block-times'), {
    height: CHART_PX,
    xValue: heightLabel,
    yValue: secondsLabel,
  });
  private readonly difficulty = new LineChart(byId('difficulty-chart'), {
    height: CHART_PX,
    xValue: heightLabel,
    yValue: formatDifficulty,
    // Each retarget multiplies the difficulty: on a log axis a × 4 is the same step wherever it falls.
    yLog: true,
  });
  /** What the lists show, to mark what is new in them. */
  private shownEvents = new Set<string>();

  render(chain: ChainStatus | null): void {
    const card = byId('chain-card');
    card.hidden = chain === null;
    if (!chain) return;
    say(
      'chain-rule',
      `${chain.network}: a block every ${chain.spacing} s aimed for, retargets every ${chain.interval} blocks; tip ${chain.tip.height}`,
    );
    const heights = chain.blocks.map((block) => block.height);
    this.times.update(
      [
        { label: 'time after the parent', colour: 'total', width: 2 },
        { label: `spacing aimed for (${chain.spacing} s)`, colour: 5, width: 2 },
      ],
      heights,
      [chain.blocks.map((block) => block.gap), chain.blocks.map(() => chain.spacing)],
    );
    this.difficulty.update(
      [
        { label: 'difficulty', colour: 'total', width: 2, style: 'steps' },
        { label: 'retarget', colour: 3, style: 'dots' },
      ],
      heights,
      [
        chain.blocks.map((block) => block.difficulty),
        chain.blocks.map((block) => (block.height % chain.interval === 0 ? block.difficulty : null)),
      ],
    );
    const seen = new Set<string>();
    const item = (key: string, ...children: (Node | string)[]) => {
      seen.add(key);
      return el('li', { class: this.shownEvents.has(key) ? '' : 'fresh' }, ...children);
    };
    byId('retargets').replaceChildren(
      ...chain.retargets.map((event) =>
        item(`retarget ${event.height} ${event.newBits}`, retargetWords(event, chain.tip.height)),
      ),
    );
    say(
      'no-retargets',
      chain.retargets.length
        ? ''
        : `None yet: the first decides block ${chain.interval}'s bits, once block ${chain.interval - 1} is in.`,
    );
    byId('reorgs').replaceChildren(
      ...chain.reorgs.map((event) =>
        item(
          `reorg ${event.at} ${event.newTip.hash}`,
          el('div', {}, reorgWords(event)),
          el('div', { class: 'hash' }, `old tip ${event.oldTip.hash}`),
          el('div', { class: 'hash' }, `new tip ${event.newTip.hash}`),
        ),
      ),
    );
    byId('no-reorgs').hidden = chain.reorgs.length > 0;
    this.shownEvents = seen;
  }
}
