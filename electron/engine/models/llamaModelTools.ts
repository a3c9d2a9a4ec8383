import { downloadModel, findDownloadedModel, type LlamaRuntime } from '../../../native/llama/index.js';
import type { ModelTools } from './ModelTools.js';

/**
 * Model tools backed by llama.cpp, sharing the engine's runtime (started on first use). `hf:` URIs resolve against
 * Hugging Face, or the endpoint in HF_ENDPOINT / MODEL_ENDPOINT (a mirror).
 */
export function llamaModelTools(runtime: () => Promise<LlamaRuntime>): ModelTools {
  return {
    hardware: async () => (await runtime()).report(),
    inspect: async (file) => (await runtime()).inspect(file),
    download: (options) => downloadModel(options),
    findDownloaded: (uri, dir) => findDownloadedModel(uri, dir),
  };
}
