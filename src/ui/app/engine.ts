/**
 * The page's engine: the wasm core in Web Workers, over shared memory where the page is cross-origin
 * isolated (the fast path), else by message (a page opened over plain http from another machine,
 * which a browser never isolates).
 */
import { useWasmModules, type WasmModuleBytes } from '../../hash/wasm.js';
import type { ThreadHost } from '../../miner/threads.js';
import { webThreads } from './threads.js';

export interface Engine {
  host: ThreadHost;
  /** SharedArrayBuffer is there: the workers' counters and stop signal are shared, not sent. */
  isolated: boolean;
}

/**
 * Isolated already (the server sent COOP and COEP), or made so by the service worker (coi-sw.ts),
 * which needs a secure context: it registers and the page reloads once. False where it cannot be.
 */
async function ensureIsolated(): Promise<boolean> {
  if (crossOriginIsolated) {
    sessionStorage.removeItem('powlab-coi-reload');
    return true;
  }
  if (!('serviceWorker' in navigator) || !isSecureContext) return false;
  if (sessionStorage.getItem('powlab-coi-reload')) return false;
  await navigator.serviceWorker.register('coi-sw.js');
  await navigator.serviceWorker.ready;
  sessionStorage.setItem('powlab-coi-reload', '1');
  location.reload();
  return new Promise<boolean>(() => {});
}

async function fetchWasm(): Promise<WasmModuleBytes> {
  const get = async (name: string) => {
    const response = await fetch(name);
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [simd, scalar] = await Promise.all([get('sha256d-simd.wasm'), get('sha256d-scalar.wasm')]);
  return { simd, scalar };
}

export async function startEngine(): Promise<Engine> {
  const isolated = await ensureIsolated();
  const wasm = await fetchWasm();
  useWasmModules(wasm);
  const host = webThreads(
    { cpu: new URL('worker.js', document.baseURI), gpu: new URL('gpu-worker.js', document.baseURI) },
    wasm,
    isolated,
  );
  return { host, isolated };
}
