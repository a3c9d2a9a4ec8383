import os from 'node:os';
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import type { PromptFormat } from './Conversation.js';
import { estimateModelFit, type ModelFit } from './estimateModelFit.js';
import { type HardwareReport, hardwareReport } from './hardwareReport.js';
import { LlamaEmbedder } from './LlamaEmbedder.js';
import { LlamaTextModel } from './LlamaTextModel.js';
import { type GpuChoice, openLlama } from './openLlama.js';
import { type GgufSummary, validateGgufFile } from './validateGgufFile.js';

export type { GpuChoice };

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
  /**
   * Sequences in the context, one per open story (default 2). Each holds a whole context of KV cache, so fewer
   * are used when memory would otherwise shrink the context.
   */
  sequences?: number;
  /** Folder for KV state files; none: states are not saved. */
  stateDir?: string;
}

/** Two open stories keep their caches; a third takes the least recently used one's sequence. */
const DEFAULT_SEQUENCES = 2;

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
  readonly requestedGpu: GpuChoice;
  /** Why the GPU asked for or detected is not in use (the runtime runs on the CPU then); null when none fell back. */
  readonly fallbackReason: string | null;

  private constructor(llama: Llama, threads: number, requestedGpu: GpuChoice, fallbackReason: string | null) {
    this.#llama = llama;
    this.threads = threads;
    this.requestedGpu = requestedGpu;
    this.fallbackReason = fallbackReason;
  }

  /** Starts llama.cpp; a GPU backend that cannot be used falls back to the CPU with the reason recorded. */
  static async create(options: RuntimeOptions = {}): Promise<LlamaRuntime> {
    const requested = options.gpu ?? 'auto';
    const { llama, fallbackReason } = await openLlama(requested);
    return new LlamaRuntime(llama, options.threads ?? defaultThreads(), requested, fallbackReason);
  }

  get gpu(): string | false {
    return this.#llama.gpu;
  }

  report(): Promise<HardwareReport> {
    return hardwareReport(this.#llama, {
      requested: this.requestedGpu,
      fallbackReason: this.fallbackReason,
      threads: this.threads,
      defaultThreads: defaultThreads(),
    });
  }

  /** Checks a model file (throws a coded error naming the problem) and estimates how it would run here. */
  async inspect(file: string, contextSize = 4096): Promise<{ model: GgufSummary; fit: ModelFit }> {
    const model = await validateGgufFile(file, { llama: this.#llama });
    return { model, fit: await estimateModelFit(file, this.#llama, contextSize) };
  }

  async loadModel(file: string, options: LoadOptions = {}): Promise<LlamaTextModel> {
    // Broken files get a message naming the problem here; llama.cpp's own errors on them are vague or fatal.
    await validateGgufFile(file, { llama: this.#llama });
    try {
      const model = await this.#llama.loadModel({ modelPath: file, loadSignal: options.signal });
      try {
        const max = Math.min(model.trainContextSize, options.contextSize ?? 4096);
        const context = await this.#createContext(model, max, options.sequences ?? DEFAULT_SEQUENCES, options.signal);
        const hasTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
        const format = options.promptFormat && options.promptFormat !== 'auto' ? options.promptFormat : hasTemplate ? 'chat' : 'completion';
        return new LlamaTextModel(file, this.#llama, model, context, format, { stateDir: options.stateDir });
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

  /** Loads a second model for embeddings (long-term retrieval, memory reinforcement), on the same backend. */
  loadEmbedder(file: string, options: { contextSize?: number; signal?: AbortSignal } = {}): Promise<LlamaEmbedder> {
    return LlamaEmbedder.load(this.#llama, file, { ...options, threads: this.threads });
  }

  /** The context with as many sequences as fit without shrinking it below what one sequence would get. */
  async #createContext(model: LlamaModel, max: number, sequences: number, signal?: AbortSignal): Promise<LlamaContext> {
    for (let count = Math.max(1, Math.floor(sequences)); ; count--) {
      const context = await model.createContext({ contextSize: { min: Math.min(256, max), max }, sequences: count, threads: this.threads, createSignal: signal });
      if (count === 1 || context.contextSize >= max) return context;
      await context.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.#llama.dispose();
  }
}
