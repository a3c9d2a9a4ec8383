import type { NodeStats } from '../contract/index.js';
import type { TextGeneration } from './TextModel.js';

/** Adds up what the model calls of one node cost, for the node's stats. */
export class CallMeter {
  readonly #started = performance.now();
  #promptTokens = 0;
  #evaluatedTokens = 0;
  #generatedTokens = 0;
  #avoidedPhrases = 0;
  retries = 0;
  fallback = false;
  regenerated = false;
  /** Time spent scoring surprisal (while writing a passage, a few microseconds a token: kept to 0.01 ms). */
  scoringMs = 0;

  add(generation: TextGeneration): void {
    this.#promptTokens += generation.promptTokens;
    this.#evaluatedTokens += generation.evaluatedTokens;
    this.#generatedTokens += generation.generatedTokens;
    this.#avoidedPhrases += generation.avoidedPhrases ?? 0;
  }

  stats(): NodeStats {
    return {
      promptTokens: this.#promptTokens,
      evaluatedTokens: this.#evaluatedTokens,
      generatedTokens: this.#generatedTokens,
      milliseconds: Math.round(performance.now() - this.#started),
      retries: this.retries,
      fallback: this.fallback,
      regenerated: this.regenerated,
      scoringMs: Math.round(this.scoringMs * 100) / 100,
      ...(this.#avoidedPhrases > 0 ? { avoidedPhrases: this.#avoidedPhrases } : {}),
    };
  }
}
