import { getLlama, LlamaCompletion, LlamaLogLevel } from 'node-llama-cpp';
import { LlamaRuntime } from '../LlamaRuntime.js';

export interface DecodeRates {
  /**
   * Tokens/s of passage decoding through our generation loop (LlamaTextModel.generate) as passages are written:
   * scoring while writing, so with the sampler in JS on the raw top-K map. Median over repeats.
   */
  engine: number;
  /** Tokens/s of node-llama-cpp's own LlamaCompletion, same model, context size, threads, prompt and sampler. */
  raw: number;
  /** P1: the median over repeats of engine ÷ raw, each pair measured back to back. */
  ratio: number;
  /**
   * The same ratio in tokens per CPU-second of the whole process: what each loop costs, which other work on a busy
   * machine disturbs far less than it does wall time (the figure itself stays wall time).
   */
  cpuRatio: number;
  /** Tokens each run was asked for (a run may end sooner, at the model's end of text). */
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
export async function decodeRates(
  file: string,
  options: { contextSize: number; threads: number; tokens: number; repeats: number; scoreTokens?: boolean },
): Promise<DecodeRates> {
  const sampler = { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 };
  const runtime = await LlamaRuntime.create({ gpu: 'off', threads: options.threads });
  const ours = await runtime.loadModel(file, { contextSize: options.contextSize, promptFormat: 'completion' });
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: file });
  const context = await model.createContext({ contextSize: ours.contextSize, threads: options.threads });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  // As many tokens as the context leaves room for after the prompt, up to the number asked for: short runs on a
  // fast toy model last tens of milliseconds, and their ratios scattered by ±5% from run to run.
  const runTokens = Math.max(2, Math.min(options.tokens, ours.contextSize - model.tokenize(PROMPT).length - 4));

  const engineRun = async (seed: number): Promise<Rate | null> => {
    const clock = new FirstTokenClock();
    const generation = await ours.generate(
      { system: '', turns: [{ user: '', answer: PROMPT }] },
      { ...sampler, seed, maxTokens: runTokens, dry: null, scoreTokens: options.scoreTokens ?? true, onText: () => clock.tick() },
    );
    return clock.rate(generation.generatedTokens);
  };
  const rawRun = async (seed: number): Promise<Rate | null> => {
    const clock = new FirstTokenClock();
    let tokens = 0;
    await completion.generateCompletion(PROMPT, {
      ...sampler,
      seed,
      maxTokens: runTokens,
      repeatPenalty: false,
      onToken: (chunk) => {
        clock.tick();
        tokens += chunk.length;
      },
    });
    return clock.rate(tokens);
  };

  const engineRates: number[] = [];
  const rawRates: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  try {
    await engineRun(99);
    await rawRun(99);
    for (let i = 0; i < options.repeats; i++) {
      const seed = 100 + i;
      let engine: Rate | null;
      let raw: Rate | null;
      if (i % 2 === 0) {
        engine = await engineRun(seed);
        raw = await rawRun(seed);
      } else {
        raw = await rawRun(seed);
        engine = await engineRun(seed);
      }
      if (engine) engineRates.push(engine.wall);
      if (raw) rawRates.push(raw.wall);
      if (engine && raw) {
        ratios.push(engine.wall / raw.wall);
        cpuRatios.push(engine.cpu / raw.cpu);
      }
    }
  } finally {
    completion.dispose();
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    await ours.dispose();
    await runtime.dispose();
  }
  return { engine: medianOf(engineRates), raw: medianOf(rawRates), ratio: medianOf(ratios), cpuRatio: medianOf(cpuRatios), tokens: runTokens };
}

/** Tokens per second of wall time and of process CPU time. */
interface Rate {
  wall: number;
  cpu: number;
}

/** Times a run from its first token to the end of the call. */
class FirstTokenClock {
  #wall = 0;
  #cpu: NodeJS.CpuUsage | null = null;

  tick(): void {
    if (this.#cpu) return;
    this.#wall = performance.now();
    this.#cpu = process.cpuUsage();
  }

  /** Null when too few tokens came to time. */
  rate(tokens: number): Rate | null {
    const wall = performance.now() - this.#wall;
    if (!this.#cpu || tokens < 2 || wall <= 0) return null;
    const used = process.cpuUsage(this.#cpu);
    const cpu = (used.user + used.system) / 1000;
    return cpu > 0 ? { wall: (tokens - 1) / (wall / 1000), cpu: (tokens - 1) / (cpu / 1000) } : null;
  }
}

export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
