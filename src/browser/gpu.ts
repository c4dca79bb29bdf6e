/**
 * The GPU in a browser: the page's own WebGPU (navigator.gpu), for the same GPU worker life as Node's
 * (src/worker/gpu-runner.ts). Compatibility mode first, which is what reaches Mesa's llvmpipe in
 * Chromium where there is no GPU; then the default adapter.
 */
import { Errors } from '../errors.js';
import { MAX_WORKGROUP_SIZE, type OpenedGpu } from '../hash/webgpu.js';

export async function openBrowserGpu(): Promise<OpenedGpu> {
  if (!navigator.gpu) throw Errors.badOption('backend', 'webgpu is unavailable: this browser offers no WebGPU');
  const adapter =
    (await navigator.gpu.requestAdapter({ featureLevel: 'compatibility' })) ?? (await navigator.gpu.requestAdapter());
  if (!adapter) throw Errors.badOption('backend', 'webgpu is unavailable: this browser gives no GPU adapter');
  const maxWorkgroupSize = Math.min(
    MAX_WORKGROUP_SIZE,
    adapter.limits.maxComputeWorkgroupSizeX,
    adapter.limits.maxComputeInvocationsPerWorkgroup,
  );
  const device = await adapter.requestDevice({
    requiredLimits: { maxComputeWorkgroupSizeX: maxWorkgroupSize, maxComputeInvocationsPerWorkgroup: maxWorkgroupSize },
  });
  const info = adapter.info;
  return {
    device,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      via: 'default',
    },
    usage: { buffer: GPUBufferUsage, mapRead: GPUMapMode.READ },
    maxWorkgroupSize,
  };
}
