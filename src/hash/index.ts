/** Backends by name. Each worker loads its own instance. */
import { Errors } from '../errors.js';
import { BACKEND_NAMES, type BackendName, type HashBackend } from './backend.js';
import { createNobleBackend } from './noble.js';

export { BACKEND_NAMES, type BackendName, type HashBackend } from './backend.js';

export async function loadBackend(name: BackendName): Promise<HashBackend> {
  switch (name) {
    case 'noble':
      return createNobleBackend();
    default:
      throw Errors.badOption('backend', `${name} is not available yet (known: ${BACKEND_NAMES.join(', ')})`);
  }
}
