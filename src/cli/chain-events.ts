/** A reorg as the terminal and --json say it, for every command that moves the built-in chain's tip. */
import type { Reorg, TreeBlock } from '../chain/tree.js';
import { countOf } from '../format/numbers.js';
import { paint } from './output.js';

const at = (block: TreeBlock) => ({ height: block.height, hash: block.id });

export function reorgJson(reorg: Reorg) {
  return {
    type: 'reorg',
    depth: reorg.depth,
    oldTip: at(reorg.oldTip),
    newTip: at(reorg.newTip),
    fork: at(reorg.fork),
  };
}

export function reorgLine(reorg: Reorg): string {
  return `${paint('reorg', 'yellow')} of depth ${reorg.depth}: ${countOf(reorg.depth, 'block')} above ${reorg.fork.height} left the active chain; tip ${reorg.oldTip.height} ${reorg.oldTip.id} -> ${reorg.newTip.height} ${reorg.newTip.id}`;
}
