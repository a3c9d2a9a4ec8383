import { type GpuChoice, LlamaRuntime, readGgufHeader } from '../../native/llama/index.js';
import type { ModelLoader } from './Engine.js';

export interface LlamaLoaderOptions {
  gpu?: GpuChoice;
  threads?: number;
  contextSize?: number;
}

/** The engine's model loader backed by llama.cpp. The runtime starts on first use and is shared by every model. */
export function llamaModelLoader(options: LlamaLoaderOptions = {}): ModelLoader {
  let runtime: Promise<LlamaRuntime> | undefined;
  return {
    validate: (path) => void readGgufHeader(path),
    async load(path, signal) {
      runtime ??= LlamaRuntime.create({ gpu: options.gpu, threads: options.threads });
      return (await runtime).loadModel(path, { contextSize: options.contextSize, signal });
    },
    async dispose() {
      await (await runtime?.catch(() => undefined))?.dispose();
    },
  };
}
