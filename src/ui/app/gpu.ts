/**
 * The GPU in a browser: the page's own WebGPU (navigator.gpu), for the same GPU worker life as Node's
 * (src/worker/gpu-runner.ts). Compatibility mode first, which is what reaches Mesa's llvmpipe in
 * Chromium where there is no GPU; then the default adapter.
 */
import { Errors } from '../../errors.js';
import { openAdapter, type OpenedGpu } from '../../hash/webgpu.js';

export async function openBrowserGpu(): Promise<OpenedGpu> {
  if (!navigator.gpu) throw Errors.noGpu('this browser offers no WebGPU');
  const adapter =
    (await navigator.gpu.requestAdapter({ featureLevel: 'compatibility' })) ?? (await navigator.gpu.requestAdapter());
  if (!adapter) throw Errors.noGpu('this browser gives no GPU adapter');
  return openAdapter(adapter, 'default', { buffer: GPUBufferUsage, mapRead: GPUMapMode.READ });
}
