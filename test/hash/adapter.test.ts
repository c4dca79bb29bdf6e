/**
 * Which adapters are software renderers, judged only by what the adapter reports: `--backend auto`
 * never mines on one. The infos below are what Dawn and browsers report for each.
 */
import { describe, expect, it } from 'vitest';
import { openAdapter, softwareRendererIn, type OpenedGpu } from '../../src/hash/webgpu.js';

const info = (device: string, description = '', vendor = '', architecture = '') => ({
  vendor,
  architecture,
  device,
  description,
});

describe('software renderers', () => {
  it.each([
    [info('llvmpipe-llvm-15-0-6-256-bits-', 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6'), 'llvmpipe'],
    [info('llvmpipe (LLVM 15.0.6, 256 bits)', 'Mesa 22.3.6', 'mesa'), 'llvmpipe'],
    [info('', 'lavapipe', 'mesa'), 'lavapipe'],
    [info('SwiftShader Device (Subzero)', '', 'google', 'swiftshader'), 'swiftshader'],
    [info('Microsoft Basic Render Driver', '', 'microsoft'), 'basic render'],
    [info('', 'WARP', 'microsoft'), 'warp'],
    [info('NVIDIA GeForce RTX 3060', 'NVIDIA: 550.120', 'nvidia', 'ampere'), null],
    [info('AMD Radeon 780M Graphics (RADV PHOENIX)', 'radv Mesa 24.0', 'amd', 'rdna-3'), null],
    [info('Mesa Intel(R) UHD Graphics 620 (KBL GT2)', 'Intel open-source Mesa driver', 'intel', 'gen-9'), null],
  ])('%j: %s', (reported, renderer) => {
    expect(softwareRendererIn(reported)).toBe(renderer);
  });
});

/** A stand-in GPUAdapter: the fields openAdapter reads, and a device that is only passed through. */
function adapter(reported: ReturnType<typeof info>, fallback: { onInfo?: boolean; onAdapter?: boolean }): GPUAdapter {
  return {
    info: { ...reported, isFallbackAdapter: fallback.onInfo },
    isFallbackAdapter: fallback.onAdapter,
    limits: { maxComputeWorkgroupSizeX: 256, maxComputeInvocationsPerWorkgroup: 256 },
    requestDevice: async () => ({}) as GPUDevice,
  } as unknown as GPUAdapter;
}

const usage = { buffer: {}, mapRead: 1 } as OpenedGpu['usage'];

describe('openAdapter', () => {
  it('reports the adapter unchanged, and software when its names give a software renderer away', async () => {
    const opened = await openAdapter(
      adapter(info('llvmpipe-llvm-15-0-6-256-bits-', 'OpenGL ES 3.2'), {}),
      'opengles',
      usage,
    );
    expect(opened.adapter).toEqual({
      vendor: '',
      architecture: '',
      device: 'llvmpipe-llvm-15-0-6-256-bits-',
      description: 'OpenGL ES 3.2',
      software: true,
      via: 'opengles',
    });
  });

  it('marks an adapter software when it says it is a fallback adapter, whatever its name', async () => {
    const unnamed = info('Some Device', '', 'acme');
    expect((await openAdapter(adapter(unnamed, { onInfo: true }), 'default', usage)).adapter.software).toBe(true);
    expect((await openAdapter(adapter(unnamed, { onAdapter: true }), 'default', usage)).adapter.software).toBe(true);
    expect((await openAdapter(adapter(unnamed, {}), 'default', usage)).adapter.software).toBe(false);
  });
});
