import { getLlama, LlamaCompletion, LlamaLogLevel } from 'node-llama-cpp';
import { LlamaRuntime } from '../LlamaRuntime.js';

export interface DecodeRates {
  /** Tokens/s of passage decoding through our generation loop (LlamaTextModel.generate). */
  engine: number;
  /** Tokens/s of node-llama-cpp's own LlamaCompletion, same model, context size, threads, prompt and sampler. */
  raw: number;
  tokens: number;
}

const PROMPT = 'Once upon a time, in a small house at the edge of the forest, there lived a girl who loved to read.';

/**
 * P1's two halves, measured the same way: decode time from the first generated token to the last, so prompt
 * reading is excluded from both. Medians over `repeats`, alternating the two so drift affects both alike.
 */
export async function decodeRates(file: string, options: { contextSize: number; threads: number; tokens: number; repeats: number }): Promise<DecodeRates> {
  const sampler = { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 };
  const runtime = await LlamaRuntime.create({ gpu: 'off', threads: options.threads });
  const ours = await runtime.loadModel(file, { contextSize: options.contextSize, promptFormat: 'completion' });
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: file });
  const context = await model.createContext({ contextSize: ours.contextSize, threads: options.threads });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const engineRates: number[] = [];
  const rawRates: number[] = [];
  try {
    for (let i = 0; i < options.repeats; i++) {
      const seed = 100 + i;
      let first = 0;
      const generation = await ours.generate(
        { system: '', turns: [{ user: '', answer: PROMPT }] },
        { ...sampler, seed, maxTokens: options.tokens, dry: null, onText: () => (first ||= performance.now()) },
      );
      const engineEnd = performance.now();
      if (generation.generatedTokens > 1 && first) engineRates.push((generation.generatedTokens - 1) / ((engineEnd - first) / 1000));

      let rawFirst = 0;
      let rawTokens = 0;
      await completion.generateCompletion(PROMPT, {
        ...sampler,
        seed,
        maxTokens: options.tokens,
        onToken: (tokens) => {
          rawFirst ||= performance.now();
          rawTokens += tokens.length;
        },
      });
      const rawEnd = performance.now();
      if (rawTokens > 1) rawRates.push((rawTokens - 1) / ((rawEnd - rawFirst) / 1000));
    }
  } finally {
    completion.dispose();
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    await ours.dispose();
    await runtime.dispose();
  }
  return { engine: medianOf(engineRates), raw: medianOf(rawRates), tokens: options.tokens };
}

export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
