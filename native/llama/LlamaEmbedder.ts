import fs from 'node:fs';
import path from 'node:path';
import type { Llama, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import { validateGgufFile } from './validateGgufFile.js';

export interface EmbedderOptions {
  /** Longest text embedded, in tokens; longer texts are cut (default 2048, and never past the model's training). */
  contextSize?: number;
  threads: number;
  signal?: AbortSignal;
}

/** BOS, EOS, and llama.cpp wants the input strictly shorter than the context. */
const RESERVED_TOKENS = 3;

/**
 * A GGUF loaded as an embedding model beside the writer: its own model and embedding context, so retrieval
 * never disturbs the writer's KV cache. Any llama.cpp model gives vectors; a real embedding model gives useful ones.
 */
export class LlamaEmbedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #model: LlamaModel;
  readonly #context: LlamaEmbeddingContext;
  readonly #maxTokens: number;

  private constructor(id: string, model: LlamaModel, context: LlamaEmbeddingContext, contextSize: number) {
    this.id = id;
    this.#model = model;
    this.#context = context;
    this.dimensions = model.embeddingVectorSize;
    this.#maxTokens = Math.max(1, contextSize - RESERVED_TOKENS);
  }

  static async load(llama: Llama, file: string, options: EmbedderOptions): Promise<LlamaEmbedder> {
    await validateGgufFile(file, { llama });
    try {
      const model = await llama.loadModel({ modelPath: file, loadSignal: options.signal });
      try {
        const contextSize = Math.min(model.trainContextSize, options.contextSize ?? 2048);
        // One batch holds a whole text: encoder (BERT-style) embedding models cannot split it.
        const context = await model.createEmbeddingContext({
          contextSize,
          batchSize: contextSize,
          threads: options.threads,
          createSignal: options.signal,
        });
        return new LlamaEmbedder(`${path.basename(file)}:${fs.statSync(file).size}`, model, context, contextSize);
      } catch (error) {
        await model.dispose();
        throw error;
      }
    } catch (error) {
      if (options.signal?.aborted) throw new NativeError('CANCELLED', 'Loading the embedding model was stopped.');
      const reason = error instanceof Error ? error.message : String(error);
      throw new NativeError('MODEL_LOAD_FAILED', `embedding model ${file}: ${reason}`, { cause: error });
    }
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      if (signal?.aborted) throw new NativeError('CANCELLED', 'Stopped.');
      if (text.trim() === '') {
        vectors.push(new Float32Array(this.dimensions));
        continue;
      }
      // Cut, not refused: the start of a passage says what it is about well enough to find it again.
      const tokens = this.#model.tokenize(text).slice(0, this.#maxTokens);
      const embedding = await this.#context.getEmbeddingFor(tokens);
      vectors.push(Float32Array.from(embedding.vector));
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    await this.#context.dispose();
    await this.#model.dispose();
  }
}
