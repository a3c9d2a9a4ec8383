import { Engine } from '../engine/Engine.js';
import { defaultDbPath } from '../engine/defaultDataDir.js';
import { llamaModelLoader } from '../engine/llamaModelLoader.js';
import { VERSION } from '../engine/version.js';
import type { GpuChoice } from '../../native/llama/index.js';

export interface GlobalOptions {
  db?: string;
  model?: string;
  embeddingModel?: string;
  gpu?: GpuChoice;
  threads?: number;
  contextSize?: number;
  seed?: number;
  passageTokens?: number;
  json?: boolean;
}

/** The engine as every CLI command sees it: model from --model, else LONGTALE_MODEL, else the saved setting. */
export function openEngine(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Engine {
  return Engine.open({
    dbPath: options.db ?? env.LONGTALE_DB ?? defaultDbPath(env),
    modelPath: options.model ?? (env.LONGTALE_MODEL || undefined),
    loader: llamaModelLoader({ gpu: options.gpu, threads: options.threads, contextSize: options.contextSize }),
    version: VERSION,
    generation: { seed: options.seed, passageTokens: options.passageTokens },
  });
}
