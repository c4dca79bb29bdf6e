/// <reference types="@webgpu/types" />
/**
 * The GPU: the generated WGSL kernel (src/hash/webgpu-kernel.ts) run through WebGPU, in Node by the
 * `webgpu` package (Google's Dawn). Thousands of invocations hash one nonce range side by side; each
 * appends the nonces that pass the filter to an output buffer, and the CPU re-checks every one with
 * the reference hash, as for every backend. A GPU scan is asynchronous (the readback is mapAsync),
 * so this backend offers the scan-a-range interface as promises and has its own worker life
 * (src/worker/gpu-runner.ts).
 *
 * Nothing here is Node's: the scanner runs on any GPUDevice. Finding one is the platform's part, in
 * Node src/hash/webgpu-node.ts (the optional `webgpu` package, loaded only when a GPU is asked for).
 */
import type { ScanJob } from './backend.js';
import { JobWords } from './filtered-scan.js';
import { KERNEL_PARAM_WORDS, KERNEL_START_WORD, KERNEL_WGSL, writeKernelJob } from './webgpu-kernel.js';

/** Which adapter the backend got, in the words the driver uses. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /**
   * A software renderer: the "GPU" is the CPU's own cores, so it competes with the CPU workers and
   * is never chosen on its own. True when the adapter says it is a fallback adapter, or when what it
   * reports names a known software renderer (see softwareRendererIn).
   */
  software: boolean;
  /** How it was reached: the platform's default WebGPU backend, or OpenGL ES (compatibility mode). */
  via: 'default' | 'opengles';
}

/**
 * One line naming an adapter by what it reports, unchanged: vendor, architecture and device, then
 * the description, e.g. "llvmpipe-llvm-15-0-6-256-bits- (OpenGL version OpenGL ES 3.2 Mesa 22.3.6)
 * via opengles" (Dawn itself reports the OpenGL renderer's name in that lowercase, dashed form).
 */
export function describeAdapter(info: GpuAdapterInfo): string {
  const names = [info.vendor, info.architecture, info.device].filter((name) => name !== '').join(' ');
  const description = info.description !== '' && info.description !== names ? ` (${info.description})` : '';
  return `${names || 'unnamed adapter'}${description} via ${info.via}`;
}

/**
 * Software renderers by the names their drivers report: Mesa's llvmpipe, lavapipe (Vulkan on
 * llvmpipe) and softpipe, Google's SwiftShader, Microsoft's WARP ("Microsoft Basic Render Driver").
 */
const SOFTWARE_RENDERER = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|basic render/i;

/** The software renderer the adapter's reported names give away, lower case, or null. */
export function softwareRendererIn(
  reported: Pick<GpuAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description'>,
): string | null {
  const match = SOFTWARE_RENDERER.exec(
    [reported.vendor, reported.architecture, reported.device, reported.description].join(' '),
  );
  return match ? match[0].toLowerCase() : null;
}

/** For a software adapter, one line saying what it is, e.g. "webgpu on llvmpipe, a software renderer on the CPU: …". */
export function softwareNote(info: GpuAdapterInfo): string {
  const renderer = softwareRendererIn(info) ?? 'a fallback adapter';
  return `webgpu on ${renderer}, a software renderer on the CPU, not a GPU: ${describeAdapter(info)}`;
}

/** How the work of one dispatch is cut: nonces per invocation, invocations per workgroup. */
export interface KernelShape {
  workgroupSize: number;
  noncesPerInvocation: number;
}

// Measured on llvmpipe (bench/README.md): few nonces per invocation and full workgroups; a real GPU
// wants the same, since thousands of invocations hide the latency one loop would not.
export const DEFAULT_KERNEL_SHAPE: KernelShape = { workgroupSize: 256, noncesPerInvocation: 8 };

/** WebGPU's guaranteed limits: 65,535 workgroups per dimension, 256 invocations per workgroup. */
const MAX_WORKGROUPS_PER_DIMENSION = 65_535;
export const MAX_WORKGROUP_SIZE = 256;
/** The largest range one dispatch takes; the kernel's u32 offsets stay exact far beyond it. */
export const MAX_DISPATCH_NONCES = 1 << 30;
/** Candidates one dispatch can hand back; a dispatch that finds more is redone in halves. */
const DEFAULT_CAPACITY = 4096;

/** A device to run on, with the platform's usage flags (globals in a browser, Dawn's own in Node). */
export interface OpenedGpu {
  device: GPUDevice;
  adapter: GpuAdapterInfo;
  usage: { buffer: Record<'UNIFORM' | 'STORAGE' | 'COPY_SRC' | 'COPY_DST' | 'MAP_READ', number>; mapRead: number };
  maxWorkgroupSize: number;
}

/**
 * A device on this adapter, with as many invocations per workgroup as the kernel may use (compatibility
 * mode starts at 128; the kernel may count on 256), named for reports by the adapter and how it was reached.
 */
export async function openAdapter(
  adapter: GPUAdapter,
  via: GpuAdapterInfo['via'],
  usage: OpenedGpu['usage'],
): Promise<OpenedGpu> {
  const maxWorkgroupSize = Math.min(
    MAX_WORKGROUP_SIZE,
    adapter.limits.maxComputeWorkgroupSizeX,
    adapter.limits.maxComputeInvocationsPerWorkgroup,
  );
  const device = await adapter.requestDevice({
    requiredLimits: { maxComputeWorkgroupSizeX: maxWorkgroupSize, maxComputeInvocationsPerWorkgroup: maxWorkgroupSize },
  });
  const { vendor, architecture, device: name, description } = adapter.info;
  // isFallbackAdapter moved from the adapter to its info; an implementation may offer either.
  const fallback =
    (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const reported = { vendor, architecture, device: name, description };
  const software = fallback || softwareRendererIn(reported) !== null;
  return { device, adapter: { ...reported, software, via }, usage, maxWorkgroupSize };
}

/**
 * What the GPU worker needs of a device: a job, a bound to filter by, and the candidates of a range.
 * WebGpuScanner is one, on a device in this thread; in Node the device lives in a process of its
 * own (src/hash/webgpu-node.ts), and a stand-in forwards these calls to it.
 */
export interface GpuScanner {
  readonly adapter: GpuAdapterInfo;
  setJob(job: ScanJob): void;
  /** Loosen or tighten the filter's bound without a new job (the best-so-far bar moves). */
  setTopLimb(topLimb: number): void;
  /** Every nonce of start..start+count-1 (start + count <= 2^32) whose hash's top 32 bits are at most the bound, ascending. */
  candidates(start: number, count: number): Promise<number[]>;
  /** True when the nonce's whole hash meets the job's target (the reference hash decides). */
  meetsTarget(nonce: number): boolean;
}

/**
 * The kernel on one device. `candidates` hands back every nonce of a range whose hash's top 32 bits
 * pass the job's bound; `scan` is the scan-a-range interface, asynchronous.
 */
export class WebGpuScanner implements GpuScanner {
  readonly name = 'webgpu';
  readonly adapter: GpuAdapterInfo;
  readonly shape: KernelShape;
  private readonly job = new JobWords();
  private readonly params = new Uint32Array(KERNEL_PARAM_WORDS);
  private readonly zero = new Uint32Array(1);
  private readonly paramBuffer: GPUBuffer;
  private readonly foundBuffer: GPUBuffer;
  private readonly readBuffer: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private topLimb = 0;

  private constructor(
    private readonly gpu: OpenedGpu,
    private readonly pipeline: GPUComputePipeline,
    shape: KernelShape,
    private readonly capacity: number,
  ) {
    this.adapter = gpu.adapter;
    this.shape = shape;
    const { device } = gpu;
    const usage = gpu.usage.buffer;
    this.paramBuffer = device.createBuffer({ size: KERNEL_PARAM_WORDS * 4, usage: usage.UNIFORM | usage.COPY_DST });
    const foundBytes = (capacity + 1) * 4;
    this.foundBuffer = device.createBuffer({
      size: foundBytes,
      usage: usage.STORAGE | usage.COPY_SRC | usage.COPY_DST,
    });
    this.readBuffer = device.createBuffer({ size: foundBytes, usage: usage.MAP_READ | usage.COPY_DST });
    this.bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.paramBuffer } },
        { binding: 1, resource: { buffer: this.foundBuffer } },
      ],
    });
  }

  static async open(
    opened: OpenedGpu,
    shape: KernelShape = DEFAULT_KERNEL_SHAPE,
    capacity = DEFAULT_CAPACITY,
  ): Promise<WebGpuScanner> {
    checkShape(shape);
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive whole number, got ${capacity}`);
    if (shape.workgroupSize > opened.maxWorkgroupSize)
      throw new RangeError(`this adapter runs at most ${opened.maxWorkgroupSize} invocations per workgroup`);
    const module = opened.device.createShaderModule({ code: KERNEL_WGSL });
    const pipeline = await opened.device.createComputePipelineAsync({
      layout: 'auto',
      compute: {
        module,
        entryPoint: 'main',
        constants: { WORKGROUP_SIZE: shape.workgroupSize, NONCES_PER_INVOCATION: shape.noncesPerInvocation },
      },
    });
    return new WebGpuScanner(opened, pipeline, shape, capacity);
  }

  setJob(job: ScanJob): void {
    this.job.set(job);
    this.topLimb = this.job.topLimb;
    writeKernelJob(this.job.midstate, this.job.tail, this.params);
  }

  /** Loosen or tighten the filter's bound without a new job (the best-so-far bar moves). */
  setTopLimb(topLimb: number): void {
    this.topLimb = topLimb >>> 0;
  }

  /** True when the nonce's whole hash meets the job's target (the reference hash decides). */
  meetsTarget(nonce: number): boolean {
    return this.job.meetsTarget(nonce);
  }

  /** Every nonce of start..start+count-1 (start + count <= 2^32) whose hash's top 32 bits are at most the bound, ascending. */
  async candidates(start: number, count: number): Promise<number[]> {
    const found: number[] = [];
    for (let next = start, end = start + count; next < end;) {
      const chunk = Math.min(end - next, MAX_DISPATCH_NONCES);
      await this.dispatchInto(found, next, chunk);
      next += chunk;
    }
    return found.sort((a, b) => a - b);
  }

  /** The first nonce of the range whose hash meets the target, or -1: every candidate re-checked on the CPU. */
  async scan(start: number, count: number): Promise<number> {
    for (const nonce of await this.candidates(start, count)) if (this.meetsTarget(nonce)) return nonce;
    return -1;
  }

  close(): void {
    this.paramBuffer.destroy();
    this.foundBuffer.destroy();
    this.readBuffer.destroy();
  }

  private async dispatchInto(found: number[], start: number, count: number): Promise<void> {
    const { device } = this.gpu;
    this.params[KERNEL_START_WORD] = start;
    this.params[KERNEL_START_WORD + 1] = count;
    this.params[KERNEL_START_WORD + 2] = this.topLimb;
    device.queue.writeBuffer(this.paramBuffer, 0, this.params);
    device.queue.writeBuffer(this.foundBuffer, 0, this.zero);
    const { workgroupSize, noncesPerInvocation } = this.shape;
    const workgroups = Math.ceil(Math.ceil(count / noncesPerInvocation) / workgroupSize);
    const x = Math.min(workgroups, MAX_WORKGROUPS_PER_DIMENSION);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(x, Math.ceil(workgroups / x));
    pass.end();
    encoder.copyBufferToBuffer(this.foundBuffer, 0, this.readBuffer, 0, this.readBuffer.size);
    device.queue.submit([encoder.finish()]);
    await this.readBuffer.mapAsync(this.gpu.usage.mapRead);
    const words = new Uint32Array(this.readBuffer.getMappedRange());
    const total = words[0];
    if (total <= this.capacity) for (let i = 1; i <= total; i++) found.push(words[i]);
    this.readBuffer.unmap();
    if (total <= this.capacity) return;
    // More candidates than the buffer holds (only at targets almost every hash meets): redo in halves.
    const half = Math.ceil(count / 2);
    await this.dispatchInto(found, start, half);
    await this.dispatchInto(found, start + half, count - half);
  }
}

function checkShape(shape: KernelShape): void {
  const { workgroupSize, noncesPerInvocation } = shape;
  if (!Number.isInteger(workgroupSize) || workgroupSize < 1 || workgroupSize > MAX_WORKGROUP_SIZE) {
    throw new RangeError(`workgroup size must be 1..${MAX_WORKGROUP_SIZE}, got ${workgroupSize}`);
  }
  if (!Number.isInteger(noncesPerInvocation) || noncesPerInvocation < 1 || noncesPerInvocation > 1024) {
    throw new RangeError(`nonces per invocation must be 1..1024, got ${noncesPerInvocation}`);
  }
  // One dispatch of MAX_DISPATCH_NONCES must fit in 65,535 x 65,535 workgroups.
  if (MAX_DISPATCH_NONCES / (workgroupSize * noncesPerInvocation) > MAX_WORKGROUPS_PER_DIMENSION ** 2) {
    throw new RangeError('kernel shape too small for one dispatch');
  }
}
