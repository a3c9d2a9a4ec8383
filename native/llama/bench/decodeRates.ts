import { getLlama, LlamaCompletion, LlamaLogLevel } from 'node-llama-cpp';
import { LlamaRuntime } from '../LlamaRuntime.js';

export interface DecodeRates {
  /** Tokens/s of passage decoding through our generation loop (LlamaTextModel.generate), median over repeats. */
  engine: number;
  /** Tokens/s of node-llama-cpp's own LlamaCompletion, same model, context size, threads, prompt and sampler. */
  raw: number;
  /** P1: the median over repeats of engine ÷ raw, each pair measured back to back. */
  ratio: number;
  tokens: number;
}

const PROMPT = 'Once upon a time, in a small house at the edge of the forest, there lived a girl who loved to read.';

/**
 * P1's two halves, measured the same way: decode time from the first generated token to the last, so prompt
 * reading is excluded from both. Both get the same sampler: our loop applies no repeat penalty, so LlamaCompletion's
 * (on by default, with per-token work in JS) is turned off too. One untimed run each first (JIT, sampler set-up);
 * then pairs with the order alternating, and the figure is the median of the pairs' ratios, which drift from other
 * work on the machine affects far less than a ratio of separate medians.
 */
export async function decodeRates(file: string, options: { contextSize: number; threads: number; tokens: number; repeats: number }): Promise<DecodeRates> {
  const sampler = { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 };
  const runtime = await LlamaRuntime.create({ gpu: 'off', threads: options.threads });
  const ours = await runtime.loadModel(file, { contextSize: options.contextSize, promptFormat: 'completion' });
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: file });
  const context = await model.createContext({ contextSize: ours.contextSize, threads: options.threads });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });

  /** Tokens/s from the first token to the end of the call; null when too few tokens came to time. */
  const engineRun = async (seed: number): Promise<number | null> => {
    let first = 0;
    const generation = await ours.generate(
      { system: '', turns: [{ user: '', answer: PROMPT }] },
      { ...sampler, seed, maxTokens: options.tokens, dry: null, onText: () => (first ||= performance.now()) },
    );
    return rate(generation.generatedTokens, first, performance.now());
  };
  const rawRun = async (seed: number): Promise<number | null> => {
    let first = 0;
    let tokens = 0;
    await completion.generateCompletion(PROMPT, {
      ...sampler,
      seed,
      maxTokens: options.tokens,
      repeatPenalty: false,
      onToken: (chunk) => {
        first ||= performance.now();
        tokens += chunk.length;
      },
    });
    return rate(tokens, first, performance.now());
  };

  const engineRates: number[] = [];
  const rawRates: number[] = [];
  const ratios: number[] = [];
  try {
    await engineRun(99);
    await rawRun(99);
    for (let i = 0; i < options.repeats; i++) {
      const seed = 100 + i;
      let engine: number | null;
      let raw: number | null;
      if (i % 2 === 0) {
        engine = await engineRun(seed);
        raw = await rawRun(seed);
      } else {
        raw = await rawRun(seed);
        engine = await engineRun(seed);
      }
      if (engine !== null) engineRates.push(engine);
      if (raw !== null) rawRates.push(raw);
      if (engine !== null && raw !== null) ratios.push(engine / raw);
    }
  } finally {
    completion.dispose();
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    await ours.dispose();
    await runtime.dispose();
  }
  return { engine: medianOf(engineRates), raw: medianOf(rawRates), ratio: medianOf(ratios), tokens: options.tokens };
}

function rate(tokens: number, first: number, end: number): number | null {
  return tokens > 1 && first > 0 && end > first ? (tokens - 1) / ((end - first) / 1000) : null;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
