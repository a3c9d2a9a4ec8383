import { type GpuChoice, type HardwareReport, LlamaRuntime } from '../../../native/llama/index.js';

/** Starts llama.cpp as the engine would (same GPU choice and fallback) just to describe the machine, then stops it. */
export async function readHardware(options: { gpu?: GpuChoice; threads?: number } = {}): Promise<HardwareReport> {
  const runtime = await LlamaRuntime.create(options);
  try {
    return await runtime.report();
  } finally {
    await runtime.dispose();
  }
}
