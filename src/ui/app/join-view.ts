/**
 * A student's own view of the pool they joined: their shares as the pool judged them, and from the
 * pool's snapshots, the blocks it found and their cut of each, and of a block found now.
 */
import { formatBtc, formatInteger } from '../../format/numbers.js';
import { $, say } from './dom.js';
import type { PoolSnapshot } from '../../pool/api.js';
import type { ShareResult } from './pool-join.js';

export class JoinView {
  private readonly counts = { accepted: 0, rejected: 0, stale: 0, lost: 0 };
  private readonly reasons = new Map<string, number>();
  private blocks = 0;

  constructor(private readonly user: string) {}

  /** The pool's verdict on one of this browser's shares. */
  share(result: ShareResult, block: boolean): void {
    this.counts[result.status]++;
    if ('reason' in result) this.reasons.set(result.reason, (this.reasons.get(result.reason) ?? 0) + 1);
    if (block && result.status === 'accepted') this.blocks++;
    const shares = $('join-shares');
    shares.dataset.accepted = String(this.counts.accepted);
    shares.dataset.rejected = String(this.counts.rejected);
    const why = [...this.reasons].map(([reason, count]) => `${reason} ×${count}`).join(', ');
    say(
      'join-shares',
      `Your shares: ${formatInteger(this.counts.accepted)} accepted, ${formatInteger(this.counts.rejected)} rejected` +
        `${this.counts.stale + this.counts.lost > 0 ? `, ${formatInteger(this.counts.stale + this.counts.lost)} stale or lost` : ''}` +
        `${why ? ` (${why})` : ''}${this.blocks > 0 ? `; ${formatInteger(this.blocks)} of them also a block` : ''}.`,
    );
  }

  /** Your part of the pool's blocks, from its latest snapshot. */
  pool(snapshot: PoolSnapshot): void {
    const me = snapshot.miners.find((miner) => miner.worker === this.user);
    const nowPart = snapshot.pplns.splitIfFoundNow.find((part) => part.miner === this.user);
    const blocks = snapshot.blocks.map((block) => {
      const part = block.split.find((entry) => entry.miner === this.user);
      return `block ${block.height}${block.accepted ? '' : ' (not accepted)'}: ${part ? formatBtc(Number(part.amount)) : 'no part'}`;
    });
    say(
      'join-cut',
      `The pool has found ${formatInteger(snapshot.pool.blocks)} block${snapshot.pool.blocks === 1 ? '' : 's'}. ` +
        `${me ? `You have earned ${formatBtc(Number(me.earned))} this run.` : 'You are not on the board yet.'} ` +
        `A block found now would pay you ${nowPart ? formatBtc(Number(nowPart.amount)) : 'nothing yet (no share of yours in the window)'}.` +
        `${blocks.length > 0 ? ` Your cut of the newest blocks: ${blocks.join('; ')}.` : ''}`,
    );
  }
}
