/**
 * What the two Web Workers' scripts (worker.ts, gpu-worker.ts) share: the first message starts the
 * worker's life; the messages that come while it starts wait, in order, and then go to it.
 */
import type { FromWorker, ToWorker } from '../../worker/protocol.js';
import type { WebWorkerStart } from './threads.js';

// The worker's global scope, as far as it is used: the project's DOM types describe a window.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
};

/**
 * `start` begins the worker's life and resolves with its message handler, or null when it cannot run
 * (it has said why): the worker then ends. `failed` is told when starting throws.
 */
export function serveWorker(
  start: (first: WebWorkerStart, post: (message: FromWorker) => void) => Promise<((message: ToWorker) => void) | null>,
  failed: (error: unknown, post: (message: FromWorker) => void) => void,
): void {
  const post = (message: FromWorker) => scope.postMessage(message);
  scope.onmessage = (event: MessageEvent<WebWorkerStart>) => {
    let handle: ((message: ToWorker) => void) | undefined;
    const early: ToWorker[] = [];
    scope.onmessage = (later: MessageEvent<ToWorker>) => (handle ? handle(later.data) : early.push(later.data));
    start(event.data, post).then(
      (started) => {
        if (!started) return scope.close();
        handle = started;
        for (const message of early.splice(0)) started(message);
      },
      (error: unknown) => failed(error, post),
    );
  };
}
