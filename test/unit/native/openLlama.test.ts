import { describe, expect, it } from 'vitest';
import { defaultThreads, LlamaRuntime } from '../../../native/llama/LlamaRuntime.js';
import { ensureTinyGguf } from '../../fixtures/gguf/writeTinyGguf.js';

// These machines have no GPU: forcing a GPU backend must fall back to the CPU and say why, never throw.
describe('LlamaRuntime GPU selection and fallback', () => {
  it('gpu off: CPU, nothing fell back', async () => {
    const runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
    try {
      expect(runtime.gpu).toBe(false);
      expect(runtime.fallbackReason).toBeNull();
      const report = await runtime.report();
      expect(report).toMatchObject({ requested: 'off', backend: 'cpu', backendName: 'CPU', fallbackReason: null, devices: [], vram: null });
      expect(report.threads).toEqual({ default: defaultThreads(), used: 1 });
      expect(report.ram.totalBytes).toBeGreaterThan(0);
      expect(report.cpu.availableCores).toBeGreaterThan(0);
      expect(report.llamaCpp.release).toMatch(/\S/);
    } finally {
      await runtime.dispose();
    }
  });

  it.each(['cuda', 'vulkan', 'metal'] as const)('gpu %s where it cannot be used: falls back to the CPU with the reason', async (gpu) => {
    const runtime = await LlamaRuntime.create({ gpu, threads: 1 });
    try {
      if (runtime.gpu === gpu) return; // a machine that has this GPU: nothing to check here
      expect(runtime.gpu).toBe(false);
      const name = { cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal' }[gpu];
      expect(runtime.fallbackReason).toMatch(new RegExp(`^${name} was requested but cannot be used here \\(.+\\); running on the CPU instead\\.$`));
      const report = await runtime.report();
      expect(report).toMatchObject({ requested: gpu, backend: 'cpu', fallbackReason: runtime.fallbackReason });
      // The fallback runtime really works.
      const model = await runtime.loadModel(ensureTinyGguf(), { contextSize: 256 });
      await model.dispose();
    } finally {
      await runtime.dispose();
    }
  });

  it('gpu auto on a machine without a GPU: CPU, and no alarm', async () => {
    const runtime = await LlamaRuntime.create({ gpu: 'auto', threads: 1 });
    try {
      const report = await runtime.report();
      if (report.backend !== 'cpu') return;
      expect(report.fallbackReason).toBeNull();
    } finally {
      await runtime.dispose();
    }
  });

  it('inspect: validates a file and estimates its fit', async () => {
    const runtime = await LlamaRuntime.create({ gpu: 'off', threads: 1 });
    try {
      const { model, fit } = await runtime.inspect(ensureTinyGguf(), 4096);
      expect(model.architecture).toBe('llama');
      expect(fit).toMatchObject({ verdict: 'fits-cpu', gpuLayers: 0, contextSize: 512 });
      expect(fit.score).toBeGreaterThan(0);
      expect(fit.ramBytes).toBeGreaterThan(0);
    } finally {
      await runtime.dispose();
    }
  });
});
