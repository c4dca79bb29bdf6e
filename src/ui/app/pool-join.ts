/**
 * A browser as a pool miner: the Stratum session (src/stratum/session.ts, which does no I/O)
 * over the pool's WebSocket endpoint, one Stratum line per message, as a source of the mining
 * session. The same handshake, jobs, set_difficulty and submits as `powlab mine --pool` over TCP, so
 * the pool judges and credits a browser's shares as it does any miner's; a dropped WebSocket is
 * opened again after a pause that grows, as the TCP client does.
 */
import { hashMeetsTarget } from '../../core/target.js';
import type { Solution } from '../../miner/work.js';
import type { FindOutcome, MiningSource, WorkSink } from '../../mining/source.js';
import { StratumSession, type SessionEvent } from '../../stratum/session.js';
import type { ShareWork } from '../../stratum/work.js';

/** What became of a share: the pool's verdict, or why it was never judged. */
export type ShareResult = { status: 'accepted' } | { status: 'rejected' | 'stale' | 'lost'; reason: string };

const USER_AGENT = 'powlab-web';
/** A share the pool has not judged in this time is counted as lost. */
const SUBMIT_TIMEOUT_MS = 30_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/** The pool's WebSocket endpoint, where the page came from (ws: over http, wss: over https). */
export function poolEndpoint(page: Location): string {
  return `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.host}/stratum`;
}

export class StratumOverWebSocket implements MiningSource<ShareWork, ShareResult> {
  readonly finds = 'share';
  readonly finalWaitMs = 3_000;
  private socket?: WebSocket;
  private session?: StratumSession;
  private readonly pending = new Map<number, { resolve: (result: ShareResult) => void; timer: number }>();
  private connections = 0;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: number;
  private closed = false;
  private state: 'connecting' | 'mining' | 'reconnecting' = 'connecting';
  private sink?: WorkSink<ShareWork>;

  constructor(
    private readonly url: string,
    private readonly user: string,
  ) {}

  get name(): string {
    return `the pool at ${new URL(this.url).host}`;
  }

  label(): string {
    const difficulty = this.session?.difficulty;
    return `${this.state}${difficulty === undefined ? '' : `, share difficulty ${difficulty}`}`;
  }

  open(sink: WorkSink<ShareWork>): void {
    this.sink = sink;
    this.connect();
  }

  private connect(): void {
    this.retryTimer = undefined;
    this.state = this.connections === 0 ? 'connecting' : 'reconnecting';
    const socket = new WebSocket(this.url);
    const session = new StratumSession(
      { user: this.user, password: 'x', userAgent: USER_AGENT, versionRolling: false, connection: ++this.connections },
      (line) => socket.send(line),
    );
    this.socket = socket;
    this.session = session;
    socket.onopen = () => session.start();
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      for (const line of event.data.split('\n')) if (line.trim() !== '') this.handle(session.receive(line));
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = this.session = undefined;
      this.settleAll({ status: 'lost', reason: 'the connection to the pool closed first' });
      if (this.closed) return;
      this.sink?.pause();
      this.state = 'reconnecting';
      this.sink?.tell(
        `lost the pool (${event.reason || `WebSocket closed, code ${event.code}`}); trying again in ${this.retryMs / 1000} s`,
      );
      this.retryTimer = window.setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    };
  }

  private handle(events: SessionEvent[]): void {
    const sink = this.sink!;
    for (const event of events) {
      switch (event.type) {
        case 'authorized':
          this.state = 'mining';
          this.retryMs = FIRST_RETRY_MS;
          sink.notice(`joined the pool as ${this.user}`);
          break;
        case 'unauthorized':
          sink.fail(new Error(`the pool refused the name ${this.user}: ${event.reason}`));
          break;
        case 'failed':
          sink.fail(new Error(event.reason));
          break;
        case 'work':
          sink.work(event.work);
          break;
        case 'retarget':
          sink.retarget(event.work);
          break;
        case 'shareResult':
          this.settle(event.requestId, event.verdict);
          break;
        case 'message':
          sink.tell(`the pool says: ${event.text}`);
          break;
        case 'invalid':
          sink.warning(`the pool sent ${event.why}`);
          break;
        default:
          break;
      }
    }
  }

  solve(solution: Solution<ShareWork>): Promise<ShareResult> {
    const session = this.session;
    if (!session?.authorized) return Promise.resolve({ status: 'stale', reason: 'not connected to the pool' });
    const stale = session.staleReason(solution.work, solution);
    if (stale) return Promise.resolve({ status: 'stale', reason: stale });
    const requestId = session.submit(solution.work.share(solution));
    if (solution.seconds > 0) session.reportHashrate(solution.hashes / solution.seconds);
    return new Promise((resolve) => {
      const timer = window.setTimeout(
        () => this.settle(requestId, { status: 'lost', reason: `no answer in ${SUBMIT_TIMEOUT_MS / 1000} s` }),
        SUBMIT_TIMEOUT_MS,
      );
      this.pending.set(requestId, { resolve, timer });
    });
  }

  private settle(requestId: number, result: ShareResult): void {
    const waiting = this.pending.get(requestId);
    if (!waiting) return;
    this.pending.delete(requestId);
    clearTimeout(waiting.timer);
    waiting.resolve(result);
  }

  private settleAll(result: ShareResult): void {
    for (const requestId of [...this.pending.keys()]) this.settle(requestId, result);
  }

  outcome(result: ShareResult, solution: Solution<ShareWork>): FindOutcome {
    return {
      kind: 'share',
      block: hashMeetsTarget(solution.hash, solution.work.networkTarget),
      verdict: result.status,
      ...('reason' in result ? { reason: result.reason } : {}),
      counts: false,
    };
  }

  next(): void {
    // Shares do not end their work: the pool's next job comes when the pool sends it.
  }

  exhausted(work: ShareWork): void {
    this.sink?.warning(`every nonce of ${work.id} has been tried; waiting for the pool's next job`);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = this.session = undefined;
    this.settleAll({ status: 'lost', reason: 'mining stopped first' });
    socket?.close();
  }
}
