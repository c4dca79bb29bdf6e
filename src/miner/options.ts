/** The engine's options, each checked here and only here: the Miner, the CLI's parsers and the web app call these. */
import { Errors } from '../errors.js';
import { BACKEND_NAMES, type BackendName } from '../hash/backend.js';

/** Above this many threads per core, more threads only cost memory: the count is refused. */
export const MAX_THREADS_PER_CORE = 8;

export function checkThreads(threads: number, cores: number): number {
  const most = Math.max(1, cores) * MAX_THREADS_PER_CORE;
  if (!Number.isInteger(threads) || threads < 1 || threads > most) {
    throw Errors.badOption(
      'threads',
      `must be a whole number from 1 to ${most} (${MAX_THREADS_PER_CORE} per core on ${cores} cores), got ${threads}`,
      { range: { min: 1, max: most }, got: threads },
    );
  }
  return threads;
}

/** What to tell a user who asks for more threads than cores. */
export function threadsWarning(threads: number, cores: number): string | undefined {
  return threads > cores
    ? `${threads} threads on ${cores} cores: they share the cores, so the hashrate will not rise`
    : undefined;
}

export function checkThrottle(throttle: number): number {
  if (!Number.isInteger(throttle) || throttle < 1 || throttle > 100)
    throw Errors.badOption('throttle', `must be a whole percentage from 1 to 100, got ${throttle}`);
  return throttle;
}

export function checkBackend(backend: string): BackendName | 'auto' {
  if (backend === 'auto' || (BACKEND_NAMES as readonly string[]).includes(backend))
    return backend as BackendName | 'auto';
  throw Errors.badOption('backend', `unknown backend ${backend} (known: auto, ${BACKEND_NAMES.join(', ')})`);
}
