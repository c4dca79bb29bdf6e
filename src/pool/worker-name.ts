/** Worker names as the pool admits them, and so as its ledger takes them back: printable, no spaces. */
const WORKER_NAME = /^[\x21-\x7e]{1,64}$/;

/** 1 to 64 printable ASCII characters without spaces: names end up in the ledger and on the page. */
export function isWorkerName(name: unknown): name is string {
  return typeof name === 'string' && WORKER_NAME.test(name);
}
