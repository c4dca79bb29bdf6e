/**
 * The labs' latency shim: a loopback TCP relay that holds every chunk, each way, for a fixed one-way
 * delay before passing it on, in order. Nodes dial the relay instead of each other, so their P2P
 * messages cross a slow link without either node knowing.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class LatencyLink {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    /** The relay's own port: dial this to reach the target. */
    readonly port: number,
  ) {}

  /** A relay on 127.0.0.1 to `targetPort`, holding each chunk `delayMs` each way. */
  static async open(targetPort: number, delayMs: number): Promise<LatencyLink> {
    const sockets = new Set<Socket>();
    const server = createServer((inbound) => {
      const outbound = createConnection({ host: '127.0.0.1', port: targetPort });
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.setNoDelay(true);
        socket.on('close', () => sockets.delete(socket));
        // A reset ends the pair through 'close'; the error itself tells the lab nothing.
        socket.on('error', () => {});
      }
      relay(inbound, outbound, delayMs);
      relay(outbound, inbound, delayMs);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new LatencyLink(server, sockets, (server.address() as { port: number }).port);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Chunks from `from` reach `to` after `delayMs`, in the order they came; a close follows the data. */
function relay(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => {
    if (delayMs === 0) to.write(chunk);
    // Timers of one delay fire in the order they were set, so the stream stays in order.
    else setTimeout(() => to.destroyed || to.write(chunk), delayMs);
  });
  from.on('close', () => setTimeout(() => to.destroy(), delayMs));
}
