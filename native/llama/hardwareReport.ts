import os from 'node:os';
import type { Llama } from 'node-llama-cpp';
import { type GpuChoice, gpuName } from './openLlama.js';

export interface HardwareReport {
  /** The backend asked for (`--gpu`), and the one in use. */
  requested: GpuChoice;
  backend: 'cuda' | 'vulkan' | 'metal' | 'cpu';
  backendName: string;
  /** Why the backend in use is not the one asked for or detected; null when nothing fell back. */
  fallbackReason: string | null;
  devices: string[];
  /** Null when no GPU is in use. */
  vram: { totalBytes: number; freeBytes: number } | null;
  ram: { totalBytes: number; freeBytes: number };
  cpu: { model: string; logicalCores: number; availableCores: number };
  threads: { default: number; used: number };
  llamaCpp: { release: string; build: string };
  platform: string;
}

/** What the machine offers llama.cpp, as `longtale doctor` prints it and the engine status summarises it. */
export async function hardwareReport(
  llama: Llama,
  info: { requested: GpuChoice; fallbackReason: string | null; threads: number; defaultThreads: number },
): Promise<HardwareReport> {
  const backend = llama.gpu === false ? 'cpu' : llama.gpu;
  const [devices, vram] = llama.gpu === false ? [[], null] : await Promise.all([llama.getGpuDeviceNames(), llama.getVramState()]);
  const cpus = os.cpus();
  return {
    requested: info.requested,
    backend,
    backendName: gpuName(llama.gpu),
    fallbackReason: info.fallbackReason,
    devices,
    vram: vram ? { totalBytes: vram.total, freeBytes: vram.free } : null,
    ram: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', logicalCores: cpus.length, availableCores: os.availableParallelism() },
    threads: { default: info.defaultThreads, used: info.threads },
    llamaCpp: { release: llama.llamaCppRelease.release, build: llama.buildType },
    platform: `${process.platform}-${process.arch}`,
  };
}
