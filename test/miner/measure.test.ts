/**
 * One "your hashrate": bench's rounds, mine's calibration of the GPU, and the measurement explain and
 * economics print all go through measure.ts's measureRunning, and all label it with measuredOn.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GpuAdapterInfo } from '../../src/hash/webgpu.js';
import type { MinerThread, ThreadHost } from '../../src/miner/threads.js';
import type { FromWorker, WorkerInit } from '../../src/worker/protocol.js';
import { runCli } from '../helpers/run-cli.js';

const measured = vi.hoisted(() => ({ miners: [] as unknown[] }));
vi.mock('../../src/miner/measure.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/miner/measure.js')>();
  return {
    ...original,
    measureRunning: (miner: Parameters<typeof original.measureRunning>[0], milliseconds: number) => {
      measured.miners.push(miner);
      return original.measureRunning(miner, milliseconds);
    },
  };
});

const { Miner } = await import('../../src/miner/miner.js');
const { runBench } = await import('../../src/miner/bench.js');
const { builtThreads, useBuiltWasm } = await import('../helpers/built.js');
// 'auto' calibrates the backends in this thread, wasm's included.
useBuiltWasm();

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  measured.miners = [];
  await Promise.all(open.splice(0).map((miner) => miner.close()));
});

/**
 * Node's threads for the CPU workers, and a stand-in for the GPU worker that reports this adapter
 * and hashes every range it is given at once (a GPU far faster than the CPU, with no GPU needed).
 */
function hostWithGpu(adapter: GpuAdapterInfo): ThreadHost {
  const threads = builtThreads();
  return {
    defaultThreads: 2,
    spawn: async (init: WorkerInit, events): Promise<MinerThread> => {
      if (init.backend !== 'webgpu') return threads.spawn(init, events);
      const progress = new BigInt64Array(init.progress);
      const reply = (message: FromWorker) => setTimeout(() => events.message(message), 1);
      reply({ type: 'ready', backend: 'webgpu', adapter, hashrate: 1e9 });
      return {
        post: (message) => {
          if (message.type !== 'range') return;
          Atomics.add(progress, init.index, BigInt(message.count));
          reply({
            type: 'rangeDone',
            rangeId: message.rangeId,
            next: message.start + message.count,
            hashes: message.count,
            stopped: false,
          });
        },
        terminate: async () => events.exit(),
      };
    },
  };
}

const hardware: GpuAdapterInfo = {
  vendor: 'nvidia',
  architecture: 'hopper',
  device: 'NVIDIA H200',
  description: '',
  software: false,
  via: 'default',
};
const llvmpipe: GpuAdapterInfo = {
  ...hardware,
  vendor: '',
  architecture: '',
  device: 'llvmpipe-llvm-15-0-6-256-bits-',
  software: true,
};

describe('one hashrate measurement', () => {
  it('mine --backend auto beside a hardware GPU measures the CPU workers alone and with the GPU, and keeps the faster', async () => {
    const miner = await Miner.start({ host: hostWithGpu(hardware), backend: 'auto' });
    open.push(miner);
    expect(measured.miners).toHaveLength(2);
    expect(miner.gpu).toEqual(hardware);
    // The calibration's hashes, on a job no one asked for, are not the run's.
    expect(miner.stats()).toMatchObject({ hashes: 0, sessionBest: null, best: null });
    expect(miner.gpuNote).toMatch(
      /^mining on the GPU too: nvidia hopper NVIDIA H200 via default; .+ measured over 0\.\d s on 2 threads × (noble|js|wasm) and the GPU, against .+ measured over 0\.\d s on 2 threads × (noble|js|wasm)$/,
    );
  });

  it('mine --backend auto never mines on a software renderer, and measures nothing to decide so', async () => {
    const miner = await Miner.start({ host: hostWithGpu(llvmpipe), backend: 'auto' });
    open.push(miner);
    expect(measured.miners).toHaveLength(0);
    expect(miner.gpu).toBeNull();
    expect(miner.gpuNote).toMatch(
      /^not using the GPU: webgpu on llvmpipe, a software renderer on the CPU, not a GPU: /,
    );
  });

  it('bench measures each round with it', async () => {
    const report = await runBench({
      host: builtThreads(),
      machine: {} as never,
      backends: ['js'],
      threads: [1],
      seconds: 0.2,
      rounds: 2,
    });
    expect(report.results[0].rounds).toHaveLength(2);
    expect(measured.miners).toHaveLength(2);
  });

  it('explain and economics label the measurement as mine does: measured over S s on N threads × backend', async () => {
    const label = /measured over \d+\.\d s on 1 thread × (noble|js|wasm)/;
    const explained = await runCli(['explain', '--measure', '--seconds', '0.3', '--threads', '1']);
    expect(explained.stdout).toMatch(label);
    const economics = await runCli([
      'economics',
      '--measure',
      '--seconds',
      '0.3',
      '--watts',
      '10',
      '--difficulty',
      '1T',
    ]);
    expect(economics.stdout).toMatch(/measured over \d+\.\d s on \d+ threads? × (noble|js|wasm)/);
  });
});
