import os from 'node:os';
import { getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import type { PromptFormat } from './Conversation.js';
import { LlamaTextModel } from './LlamaTextModel.js';
import { readGgufHeader } from './readGgufHeader.js';

export type GpuChoice = 'auto' | 'cuda' | 'vulkan' | 'metal' | 'off';

export interface RuntimeOptions {
  gpu?: GpuChoice;
  /** Threads per context. Defaults to what the CPUs really allow (see defaultThreads). */
  threads?: number;
}

export interface LoadOptions {
  /** Upper bound for the context; the model's training length caps it too. */
  contextSize?: number;
  /** 'auto' uses the chat template when the file has one, plain completion otherwise. */
  promptFormat?: 'auto' | PromptFormat;
  signal?: AbortSignal;
}

/**
 * One cores-worth less than the machine has, at most 8: llama.cpp's own default (4) oversubscribed a 2-core
 * machine so badly that a tiny model ran a thousand times slower than with one thread.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, os.availableParallelism() - 1));
}

/** The llama.cpp binding: owns the `Llama` instance and loads models from it. */
export class LlamaRuntime {
  readonly #llama: Llama;
  readonly threads: number;

  private constructor(llama: Llama, threads: number) {
    this.#llama = llama;
    this.threads = threads;
  }

  static async create(options: RuntimeOptions = {}): Promise<LlamaRuntime> {
    const gpu = options.gpu === 'off' ? false : (options.gpu ?? 'auto');
    const llama = await getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.error });
    return new LlamaRuntime(llama, options.threads ?? defaultThreads());
  }

  get gpu(): string | false {
    return this.#llama.gpu;
  }

  async loadModel(file: string, options: LoadOptions = {}): Promise<LlamaTextModel> {
    readGgufHeader(file);
    try {
      const model = await this.#llama.loadModel({ modelPath: file, loadSignal: options.signal });
      try {
        const max = Math.min(model.trainContextSize, options.contextSize ?? 4096);
        const context = await model.createContext({
          contextSize: { min: Math.min(256, max), max },
          threads: this.threads,
          createSignal: options.signal,
        });
        const hasTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
        const format = options.promptFormat && options.promptFormat !== 'auto' ? options.promptFormat : hasTemplate ? 'chat' : 'completion';
        return new LlamaTextModel(file, this.#llama, model, context, format);
      } catch (error) {
        await model.dispose();
        throw error;
      }
    } catch (error) {
      if (options.signal?.aborted) throw new NativeError('CANCELLED', 'Loading the model was stopped.');
      const reason = error instanceof Error ? error.message : String(error);
      throw new NativeError('MODEL_LOAD_FAILED', `${file}: ${reason}`, { cause: error });
    }
  }

  async dispose(): Promise<void> {
    await this.#llama.dispose();
  }
}
