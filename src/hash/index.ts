/** Backends by name. Each worker loads its own instance. */
import { Errors } from '../errors.js';
import { BACKEND_NAMES, type BackendName, type HashBackend } from './backend.js';
import { createJsBackend } from './js.js';
import { createNobleBackend } from './noble.js';
import { createWasmBackend } from './wasm.js';

export type { BackendName, HashBackend } from './backend.js';

export async function loadBackend(name: BackendName): Promise<HashBackend> {
  switch (name) {
    case 'noble':
      return createNobleBackend();
    case 'js':
      return createJsBackend();
    case 'wasm':
      return createWasmBackend();
    case 'webgpu':
      throw Errors.badOption(
        'backend',
        'webgpu scans asynchronously, in its own worker (src/worker/gpu-runner.ts), not as a HashBackend',
      );
    default:
      throw Errors.badOption('backend', `unknown backend ${String(name)} (known: ${BACKEND_NAMES.join(', ')})`);
  }
}
