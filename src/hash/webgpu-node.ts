/**
 * The GPU in Node: Google's Dawn through the optional `webgpu` package, loaded only when a GPU is
 * asked for, so that --help stays instant and an install without the package still works. Adapters
 * are tried in order, the platform's default first, then OpenGL ES (which reaches Mesa's llvmpipe
 * where there is no GPU and no working Vulkan), and the one found is named.
 *
 * Dawn runs in a process of its own (webgpu-process.ts, started by openGpuProcess): it writes
 * warnings from native code to file descriptor 2, which no JavaScript can silence, and a student's
 * terminal or a --json reader should see none of them. The GPU worker talks to it through a stand-in
 * scanner; the round trip costs a fraction of a millisecond a dispatch.
 */
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorMessage, Errors } from '../errors.js';
import type { ScanJob } from './backend.js';
import { JobWords } from './filtered-scan.js';
import { openAdapter, type GpuAdapterInfo, type GpuScanner, type OpenedGpu } from './webgpu.js';

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
 * Set in the process that loads Dawn, on its main thread: a worker's process.env is its own copy,
 * and what it sets never reaches the C library that EGL reads.
 */
function prepareGpuEnvironment(): void {
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
    const why = errorMessage(error).split('\n')[0];
    throw Errors.noGpu(`the webgpu package cannot load (${why})`);
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
  throw Errors.noGpu(`no GPU adapter (tried ${tried.join(', ')})`);
}

/** What the GPU worker asks of the GPU's process; only 'candidates' is answered. */
export type GpuProcessRequest =
  | { type: 'job'; job: ScanJob }
  | { type: 'topLimb'; topLimb: number }
  | { type: 'candidates'; id: number; start: number; count: number };

/** What the GPU's process answers: its adapter once (or why there is none), then each dispatch's candidates. */
export type GpuProcessReply =
  | { type: 'ready'; adapter: GpuAdapterInfo }
  | { type: 'unavailable'; reason: string }
  | { type: 'candidates'; id: number; found: number[] }
  | { type: 'failed'; id: number; reason: string };

const GPU_PROCESS_FILE = fileURLToPath(new URL('./webgpu-process.js', import.meta.url));
/** Of what the GPU's process wrote to its stderr (Dawn's and the drivers' own words), the end is kept to explain a crash. */
const KEPT_STDERR = 2000;

/**
 * Start the GPU's process and resolve with a scanner that forwards to it, once it has an adapter;
 * rejects with one line when it finds none. Its stderr never reaches ours.
 */
export function openGpuProcess(): Promise<GpuScanner> {
  const child = fork(GPU_PROCESS_FILE, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    execArgv: [],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (stderr = (stderr + text).slice(-KEPT_STDERR)));
  const pending = new Map<number, { resolve: (found: number[]) => void; reject: (error: Error) => void }>();
  const ended = (why: string) => {
    const last = stderr.trim().split('\n').pop();
    const error = new Error(`the GPU's process ${why}${last ? ` (it last said: ${last})` : ''}`);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    return error;
  };
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(ended(`could not start: ${error.message}`)));
    child.on('exit', (code, signal) => reject(ended(`ended (${signal ?? `exit ${code}`})`)));
    child.on('message', (reply: GpuProcessReply) => {
      switch (reply.type) {
        case 'unavailable':
          return reject(Errors.noGpu(reply.reason));
        case 'ready':
          return resolve(new GpuProcessScanner(child, reply.adapter, pending));
        case 'candidates':
          pending.get(reply.id)?.resolve(reply.found);
          return void pending.delete(reply.id);
        case 'failed':
          pending.get(reply.id)?.reject(new Error(reply.reason));
          return void pending.delete(reply.id);
      }
    });
  });
}

/** The GPU worker's scanner in Node: the device is in the GPU's process; the target check stays here. */
class GpuProcessScanner implements GpuScanner {
  private readonly job = new JobWords();
  private nextId = 0;

  constructor(
    private readonly child: ReturnType<typeof fork>,
    readonly adapter: GpuAdapterInfo,
    private readonly pending: Map<number, { resolve: (found: number[]) => void; reject: (error: Error) => void }>,
  ) {}

  setJob(job: ScanJob): void {
    this.job.set(job);
    this.child.send({ type: 'job', job } satisfies GpuProcessRequest);
  }

  setTopLimb(topLimb: number): void {
    this.child.send({ type: 'topLimb', topLimb } satisfies GpuProcessRequest);
  }

  candidates(start: number, count: number): Promise<number[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'candidates', id, start, count } satisfies GpuProcessRequest);
    });
  }

  meetsTarget(nonce: number): boolean {
    return this.job.meetsTarget(nonce);
  }
}
