import { Engine } from '../engine/Engine.js';
import { defaultDbPath } from '../engine/defaultDataDir.js';
import { llamaModelLoader } from '../engine/llamaModelLoader.js';
import { defaultModelsDir } from '../engine/models/defaultModelsDir.js';
import { llamaModelTools } from '../engine/models/llamaModelTools.js';
import { VERSION } from '../engine/version.js';
import { withTestFault } from '../engine/withTestFault.js';
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

/**
 * The engine as every CLI command sees it: model from --model, else LONGTALE_MODEL, else the saved setting; the
 * embedding model likewise from --embedding-model, LONGTALE_EMBEDDING_MODEL or the saved setting.
 */
export function openEngine(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Engine {
  const loader = llamaModelLoader({ gpu: options.gpu, threads: options.threads, contextSize: options.contextSize });
  return Engine.open({
    dbPath: options.db ?? env.LONGTALE_DB ?? defaultDbPath(env),
    modelPath: options.model ?? (env.LONGTALE_MODEL || undefined),
    embeddingModelPath: options.embeddingModel ?? (env.LONGTALE_EMBEDDING_MODEL || undefined),
    loader: withTestFault(loader, env),
    modelTools: llamaModelTools(loader.runtime),
    modelsDir: defaultModelsDir(env),
    version: VERSION,
    generation: { seed: options.seed, passageTokens: options.passageTokens },
  });
}
