/**
 * `powlab chain tree`: the last heights of the block tree in the terminal, the active chain in the
 * first column and each side branch in a column of its own, joined to the block it forks from:
 *
 *   height  active        branch 1
 *        5  3f1c0a9e2b7d
 *        4  0c77d1e5a0b2  5be0c4d1e9f3
 *        3  6a0e2f8c1d44  ┘
 */
import type { BlockTree, TreeBlock } from '../chain/tree.js';
import { countOf } from '../format/numbers.js';
import type { NetworkArgs } from './chain-options.js';
import { readChain } from './chain-read.js';
import { paint } from './output.js';

const ID_DIGITS = 12;

interface Branch {
  /** The active block it forks from. */
  fork: TreeBlock;
  /** Its blocks by height. */
  blocks: Map<number, TreeBlock>;
  tip: TreeBlock;
}

/** Every side branch: from each block no other block builds on, back to the active chain. */
function sideBranches(tree: BlockTree): Branch[] {
  const parents = new Set(tree.blocks().map((block) => block.parent!.id));
  const branches: Branch[] = [];
  for (const tip of tree.blocks()) {
    if (parents.has(tip.id) || tree.isActive(tip)) continue;
    const blocks = new Map<number, TreeBlock>();
    let at = tip;
    while (!tree.isActive(at)) {
      blocks.set(at.height, at);
      at = at.parent!;
    }
    branches.push({ fork: at, blocks, tip });
  }
  return branches;
}

export function drawTree(args: NetworkArgs & { blocks: number }): void {
  const chain = readChain(args);
  const { tree } = chain.scan;
  const branches = sideBranches(tree);
  const top = Math.max(tree.tip.height, ...branches.map((branch) => branch.tip.height));
  const bottom = Math.max(0, top - args.blocks + 1);
  const shown = branches.filter((branch) => branch.tip.height >= bottom);
  const width = ID_DIGITS + 2;
  const cell = (text: string) => text.padEnd(width);
  const lines = [
    paint(
      `the block tree of the ${chain.params.name} chain in ${chain.datadir}: tip ${tree.tip.height}, ${countOf(branches.length, 'side branch', 'side branches')}`,
      'bold',
    ),
    `height  ${cell('active')}${shown.map((_, i) => cell(`branch ${i + 1}`)).join('')}`.trimEnd(),
  ];
  for (let height = top; height >= bottom; height--) {
    const active = tree.activeChain()[height];
    const row = [cell(active ? active.id.slice(0, ID_DIGITS) : '')];
    for (const branch of shown) {
      const block = branch.blocks.get(height);
      row.push(
        block ? paint(cell(block.id.slice(0, ID_DIGITS)), 'grey') : cell(height === branch.fork.height ? '┘' : ''),
      );
    }
    lines.push(`${String(height).padStart(6)}  ${row.join('')}`.trimEnd());
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
