/**
 * The GPU in Node: Google's Dawn through the optional `webgpu` package, loaded only when a GPU is
 * asked for, so that --help stays instant and an install without the package still works. Adapters
 * are tried in order, the platform's default first, then OpenGL ES (which reaches Mesa's llvmpipe
 * where there is no GPU and no working Vulkan), and the one found is named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Errors } from '../errors.js';
import { openAdapter, type OpenedGpu } from './webgpu.js';

/**
 * Test-only: POWLAB_TEST_WEBGPU=no-adapter makes every adapter request come back empty, and
 * POWLAB_TEST_WEBGPU=no-package makes the package fail to load, so that a machine with a GPU can
 * show what a machine without one does. Not for users: it only takes the GPU away.
 */
const TEST_HOOK = 'POWLAB_TEST_WEBGPU';

interface Dawn {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** The objects Dawn must keep alive: a GPU object that is garbage-collected takes the process down. */
const keptAlive: GPU[] = [];

/**
 * Mesa's EGL looks for a display server unless told there is none; a user should not have to say it.
 * Call it on the main thread before a worker loads Dawn: a worker's process.env is its own copy, and
 * what it sets never reaches the C library that EGL reads.
 */
export function prepareGpuEnvironment(): void {
  if (process.platform === 'linux') process.env.EGL_PLATFORM ??= 'surfaceless';
}

async function loadDawn(): Promise<Dawn> {
  if (process.env[TEST_HOOK] === 'no-package') throw new Error(`the webgpu package is hidden by ${TEST_HOOK}`);
  prepareGpuEnvironment();
  const dawn = (await import('webgpu')) as unknown as Dawn;
  return dawn;
}

/**
 * Why the platform's default (Vulkan, on Linux) cannot give a GPU here, or null when it may. Without
 * a Vulkan loader Dawn warns on stderr for nothing; without a GPU device node the only Vulkan device
 * is Mesa's lavapipe, on these same CPU cores, which Dawn refuses with warnings of its own (and Mesa
 * with one about XDG_RUNTIME_DIR): OpenGL ES reaches the same cores through llvmpipe without a word.
 */
function noVulkanGpu(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const loader =
      readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1') ||
      existsSync('/usr/lib/x86_64-linux-gnu/libvulkan.so.1');
    if (!loader) return 'no Vulkan loader';
    const renderNode = existsSync('/dev/dri') && readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
    if (!renderNode && !existsSync('/dev/nvidia0')) return 'no GPU device in /dev/dri';
    return null;
  } catch {
    return null;
  }
}

const ATTEMPTS = [
  { via: 'default', flags: [], options: {} },
  { via: 'opengles', flags: ['backend=opengles'], options: { featureLevel: 'compatibility' } },
] as const;

/** Find an adapter, the platform's default first, then OpenGL ES; throws one line when there is none. */
export async function openWebGpu(): Promise<OpenedGpu> {
  let dawn: Dawn;
  try {
    dawn = await loadDawn();
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw Errors.badOption('backend', `webgpu is unavailable: the webgpu package cannot load (${why})`);
  }
  const tried: string[] = [];
  for (const attempt of ATTEMPTS) {
    const unusable = attempt.via === 'default' ? noVulkanGpu() : null;
    if (unusable) {
      tried.push(`default (${unusable})`);
      continue;
    }
    const gpu = dawn.create([...attempt.flags]);
    keptAlive.push(gpu);
    const adapter = process.env[TEST_HOOK] === 'no-adapter' ? null : await gpu.requestAdapter(attempt.options);
    if (!adapter) {
      tried.push(attempt.via);
      continue;
    }
    const buffer = dawn.globals.GPUBufferUsage as OpenedGpu['usage']['buffer'];
    const mapRead = (dawn.globals.GPUMapMode as { READ: number }).READ;
    return openAdapter(adapter, attempt.via, { buffer, mapRead });
  }
  throw Errors.badOption('backend', `webgpu is unavailable: no GPU adapter (tried ${tried.join(', ')})`);
}
