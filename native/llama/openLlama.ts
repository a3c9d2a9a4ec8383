import nodeConsole from 'node:console';
import { getLlama, getLlamaGpuTypes, type Llama, LlamaLogLevel } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';

export type GpuChoice = 'auto' | 'cuda' | 'vulkan' | 'metal' | 'off';

export interface OpenedLlama {
  llama: Llama;
  /** Why the GPU asked for (or detected) is not the one in use; null when nothing fell back. */
  fallbackReason: string | null;
}

const GPU_NAMES: Record<string, string> = { cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal' };
export const gpuName = (gpu: string | false): string => (gpu === false ? 'CPU' : (GPU_NAMES[gpu] ?? gpu));

/**
 * Starts llama.cpp with the GPU backend asked for, never building from source. When that backend cannot be used
 * (no driver, an incompatible prebuilt binary, another platform's backend) it falls back to the CPU and says why,
 * instead of failing (a forced backend) or falling back silently (auto), which users of other apps complain of.
 */
export async function openLlama(requested: GpuChoice): Promise<OpenedLlama> {
  const gpu = requested === 'off' ? false : requested;
  const notes: string[] = [];
  let llama: Llama;
  try {
    llama = await withLibraryNotes(notes, () => getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.error }));
  } catch (error) {
    if (gpu === false) throw startFailed(error);
    const detail = notes.join(' ') || (error instanceof Error ? error.message : String(error));
    try {
      llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    } catch (cpuError) {
      throw startFailed(cpuError);
    }
    const asked = gpu === 'auto' ? 'No GPU backend could start' : `${gpuName(gpu)} was requested but cannot be used here`;
    return { llama, fallbackReason: `${asked} (${detail}); running on the CPU instead.` };
  }

  if (gpu !== false && gpu !== 'auto' && llama.gpu !== gpu) {
    const detail = notes.join(' ') || `no ${gpuName(gpu)} support for ${process.platform} ${process.arch}`;
    return { llama, fallbackReason: `${gpuName(gpu)} was requested but cannot be used here (${detail}); running on ${llama.gpu === false ? 'the CPU' : gpuName(llama.gpu)} instead.` };
  }
  if (gpu === 'auto' && llama.gpu === false) {
    // Auto found no usable GPU. Only worth a word when a GPU backend looked available and then failed.
    const supported = (await getLlamaGpuTypes('supported')).filter((type) => type !== false);
    if (supported.length > 0 || notes.length > 0) {
      const detected = supported.map(gpuName).join(' and ') || 'A GPU';
      const detail = notes.length > 0 ? ` (${notes.join(' ')})` : '';
      return { llama, fallbackReason: `${detected} support was detected but could not be used${detail}; running on the CPU instead.` };
    }
  }
  return { llama, fallbackReason: null };
}

/**
 * Runs `work` while collecting the library's own console notes (why a prebuilt binary was rejected), which it
 * prints instead of returning; they become the fallback reason rather than stray lines on stderr.
 */
async function withLibraryNotes<T>(notes: string[], work: () => Promise<T>): Promise<T> {
  // The global console and node:console are one object, except under a test runner that swaps the global one.
  const consoles = [...new Set([globalThis.console, nodeConsole])];
  const saved = consoles.map((c) => ({ warn: c.warn, error: c.error, info: c.info, log: c.log }));
  consoles.forEach((target, i) => {
    const original = saved[i];
    if (!original) return;
    const capture = (pass: (...args: unknown[]) => void) => (...args: unknown[]) => {
      const text = args.map(String).join(' ').replace(/\u001b\[[0-9;]*m/g, '');
      if (text.includes('[node-llama-cpp]')) notes.push(text.replace(/^.*?\[node-llama-cpp\]\s*/, '').trim());
      else pass.apply(target, args);
    };
    Object.assign(target, { warn: capture(original.warn), error: capture(original.error), info: capture(original.info), log: capture(original.log) });
  });
  try {
    return await work();
  } finally {
    consoles.forEach((target, i) => Object.assign(target, saved[i]));
  }
}

function startFailed(error: unknown): NativeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new NativeError('MODEL_LOAD_FAILED', `llama.cpp could not start on this machine: ${reason}`, { cause: error });
}
