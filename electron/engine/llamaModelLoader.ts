import { type GpuChoice, LlamaRuntime, validateGgufFile } from '../../native/llama/index.js';
import type { ModelLoader } from './Engine.js';

export interface LlamaLoaderOptions {
  gpu?: GpuChoice;
  threads?: number;
  contextSize?: number;
  /** Context sequences: open stories that keep their own KV cache at once. */
  sequences?: number;
}

export type LlamaModelLoader = ModelLoader & {
  /** The shared runtime, started on first use (a GPU that cannot be used falls back to the CPU, with the reason). */
  runtime(): Promise<LlamaRuntime>;
};

export function isLlamaModelLoader(loader: ModelLoader): loader is LlamaModelLoader {
  return typeof (loader as Partial<LlamaModelLoader>).runtime === 'function';
}

/** The engine's model loader backed by llama.cpp. The runtime starts on first use and is shared by every model. */
export function llamaModelLoader(options: LlamaLoaderOptions = {}): LlamaModelLoader {
  let runtime: Promise<LlamaRuntime> | undefined;
  let started: LlamaRuntime | undefined;
  const getRuntime = () => {
    runtime ??= LlamaRuntime.create({ gpu: options.gpu, threads: options.threads }).then((created) => (started = created));
    return runtime;
  };
  return {
    runtime: getRuntime,
    hardware: () => (started ? { backend: started.gpu === false ? 'cpu' : started.gpu, fallbackReason: started.fallbackReason } : undefined),
    validate: async (path) => void (await validateGgufFile(path)),
    async load(path, signal, extra) {
      const runtime = await getRuntime();
      return runtime.loadModel(path, { contextSize: options.contextSize, sequences: options.sequences, stateDir: extra?.stateDir, signal });
    },
    async loadEmbedder(path) {
      return (await getRuntime()).loadEmbedder(path);
    },
    async dispose() {
      await (await runtime?.catch(() => undefined))?.dispose();
    },
  };
}
