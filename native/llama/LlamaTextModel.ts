import path from 'node:path';
import { LlamaCompletion, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';

export interface GenerateOptions {
  maxTokens: number;
  temperature?: number;
  seed?: number;
  stopStrings?: string[];
  onText?: (text: string) => void;
  signal?: AbortSignal;
}

export interface Generation {
  text: string;
  stopReason: 'end' | 'length' | 'stop-string';
  /** Tokens of prompt the model actually had to read (the rest came from the KV cache). */
  evaluatedTokens: number;
  generatedTokens: number;
}

/** A loaded model with one context sequence, generating one completion at a time. */
export class LlamaTextModel {
  readonly file: string;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #sequence: LlamaContextSequence;
  readonly #completion: LlamaCompletion;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string, model: LlamaModel, context: LlamaContext) {
    this.file = file;
    this.#model = model;
    this.#context = context;
    this.#sequence = context.getSequence();
    this.#completion = new LlamaCompletion({ contextSequence: this.#sequence });
  }

  get name(): string {
    const { name, architecture } = this.#model.fileInfo.metadata.general ?? {};
    // Some files name only their architecture ("llama"); the file name says more then.
    return typeof name === 'string' && name.length > 0 && name !== architecture ? name : path.basename(this.file);
  }

  get contextSize(): number {
    return this.#context.contextSize;
  }

  countTokens(text: string): number {
    return this.#model.tokenize(text).length;
  }

  /** Generations are serialised: the context has one sequence, and its KV cache is reused between calls. */
  generate(prompt: string, options: GenerateOptions): Promise<Generation> {
    const run = this.#queue.then(() => this.#generateNow(prompt, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #generateNow(prompt: string, options: GenerateOptions): Promise<Generation> {
    if (options.signal?.aborted) throw new NativeError('CANCELLED', 'Writing was stopped.');
    const meter = this.#sequence.tokenMeter;
    const inputBefore = meter.usedInputTokens;
    const outputBefore = meter.usedOutputTokens;
    try {
      const { response, metadata } = await this.#completion.generateCompletionWithMeta(prompt, {
        maxTokens: options.maxTokens,
        temperature: options.temperature ?? 0.8,
        seed: options.seed,
        customStopTriggers: options.stopStrings,
        onTextChunk: options.onText,
        signal: options.signal,
      });
      return {
        text: response,
        stopReason:
          metadata.stopReason === 'maxTokens' ? 'length' : metadata.stopReason === 'eogToken' ? 'end' : 'stop-string',
        evaluatedTokens: meter.usedInputTokens - inputBefore,
        generatedTokens: meter.usedOutputTokens - outputBefore,
      };
    } catch (error) {
      if (options.signal?.aborted) throw new NativeError('CANCELLED', 'Writing was stopped.');
      const reason = error instanceof Error ? error.message : String(error);
      throw new NativeError('GENERATION_FAILED', reason, { cause: error });
    }
  }

  async dispose(): Promise<void> {
    await this.#queue;
    this.#completion.dispose();
    await this.#context.dispose();
    await this.#model.dispose();
  }
}
