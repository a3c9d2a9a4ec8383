import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { ScoringMethod } from './scoreRange.js';
import { StorySampler, type StorySamplerOptions } from './StorySampler.js';
import { sortedMapSurprisal, topKSurprisal } from './surprisalMath.js';
import type { TextScore, TokenSurprisal } from './TextScore.js';

/** node-llama-cpp's default DRY sequence breakers: a repeat never reaches back across them. */
const SEQUENCE_BREAKERS = ['\n', ':', '"', '*'];

export interface GenerationScoring {
  /** Candidates per position: the post-hoc scorer's K, so both read the same map. */
  topK: number;
  vocabularySize: number;
}

/**
 * Generates and scores in one pass. Each step asks llama.cpp for the raw distribution's top K candidates
 * (temperature 1, no truncation) and lets StorySampler pick the story's token from them, so the surprisal
 * −ln p(x_i | x_<i) of the token picked is read off the same map, with the post-hoc scorer's top-K arithmetic
 * (scoreRange), at the cost of a few microseconds instead of a second pass.
 *
 * Always the top K, even where the post-hoc scorer reads the whole vocabulary: exporting a 512-entry map every token
 * slowed decoding by a sixth on stories260K, while the top 64 with the fitted tail put 99.9% of its tokens within
 * 0.05 nats of exact (1,500 generated tokens). Within the top K, the sampled token is always in the map.
 */
export class GenerationScorer {
  readonly #model: LlamaModel;
  readonly #scoring: GenerationScoring;
  readonly #sampler: StorySampler;
  readonly #breakers = new Map<number, boolean>();
  readonly #surprisal: number[] = [];
  /** End of each token's text in the decoded generation (a byte of an unfinished character adds nothing). */
  readonly #ends: number[] = [];
  #milliseconds = 0;

  /** Tokens never to draw at a position of the generation (see PhraseGuard). */
  readonly #banned: (position: number) => ReadonlySet<number> | undefined;

  constructor(
    model: LlamaModel,
    sampling: StorySamplerOptions,
    scoring: GenerationScoring,
    banned: (position: number) => ReadonlySet<number> | undefined = () => undefined,
  ) {
    this.#model = model;
    this.#scoring = scoring;
    this.#banned = banned;
    this.#sampler = new StorySampler(sampling, (token) => this.#isBreaker(token));
  }

  /** Feeds `tokens` to the sequence, then yields the tokens the sampler picks until the model ends the text. */
  async *evaluate(sequence: LlamaContextSequence, tokens: Token[]): AsyncGenerator<Token, void, undefined> {
    const iterator = sequence.evaluateWithMetadata(
      tokens,
      { probabilities: true },
      // The native draw is discarded (ours replaces it via next()); end-of-text must come back to be replaced too.
      { temperature: 1, topK: this.#scoring.topK, topP: 1, minP: 0, yieldEogToken: true },
    );
    try {
      let step = await iterator.next();
      while (step.done !== true) {
        const map = step.value.probabilities;
        if (!map) throw new Error('The model returned no distribution to sample from.');
        const token = this.#sampler.sample(map, this.#banned(this.#surprisal.length)) as Token;
        if (token < 0) return;
        const started = performance.now();
        this.#surprisal.push(this.#surprisalOf(map, token));
        this.#milliseconds += performance.now() - started;
        if (this.#model.isEogToken(token)) return;
        this.#sampler.accept(token);
        yield token;
        step = await iterator.next(token);
      }
    } finally {
      await iterator.return();
    }
  }

  /**
   * Forgets every token after the first `length`, so the next `evaluate` (fed the token before the rewind point)
   * goes on from there.
   */
  rewind(length: number): void {
    this.#surprisal.length = Math.min(this.#surprisal.length, length);
    this.#ends.length = Math.min(this.#ends.length, length);
    this.#sampler.rewind(length);
  }

  /** The decoded text's length after the last token yielded. */
  place(textLength: number): void {
    this.#ends.push(textLength);
  }

  /**
   * The yielded tokens laid over `text`, the generation as returned (cut at a stop string or not): tokens past its
   * end are dropped, one straddling the end keeps only its part inside, so the pieces join into exactly `text`.
   */
  score(text: string): TextScore {
    const tokens: TokenSurprisal[] = [];
    let start = 0;
    for (let i = 0; i < this.#ends.length && start < text.length; i++) {
      const end = Math.min(text.length, this.#ends[i] as number);
      tokens.push({ text: text.slice(start, end), surprisal: this.#surprisal[i] as number, start, end });
      start = end;
    }
    return {
      tokens,
      meanSurprisal: tokens.length > 0 ? tokens.reduce((sum, t) => sum + t.surprisal, 0) / tokens.length : null,
      method: this.#method,
      evaluatedTokens: 0,
      outsideTopK: 0,
      milliseconds: this.#milliseconds,
      contextMilliseconds: 0,
    };
  }

  /** A vocabulary that fits in the map is scored exactly (the tail is empty). */
  get #method(): ScoringMethod {
    return this.#scoring.vocabularySize <= this.#scoring.topK ? 'exact' : 'top-k';
  }

  /** −ln p of the token drawn, as scoreRange computes it (the top-K arithmetic read off the sampler's buffers). */
  #surprisalOf(map: ReadonlyMap<number, number>, token: Token): number {
    const { logs, count, index } = this.#sampler.drawn;
    if (index >= 0 && isSortedAndFinite(logs, count)) return sortedMapSurprisal(logs, count, index, this.#scoring.vocabularySize);
    return topKSurprisal(map, token, 0, this.#scoring.vocabularySize).surprisal;
  }

  #isBreaker(token: number): boolean {
    let breaker = this.#breakers.get(token);
    if (breaker === undefined) {
      const text = this.#model.detokenize([token as Token]);
      breaker = SEQUENCE_BREAKERS.some((b) => text.includes(b));
      this.#breakers.set(token, breaker);
    }
    return breaker;
  }
}

/** llama.cpp returns its candidates best first; a zero probability would leave topKSurprisal's general path to decide. */
function isSortedAndFinite(logs: Float64Array, count: number): boolean {
  if (count === 0 || !((logs[0] as number) > -Infinity)) return false;
  for (let i = 1; i < count; i++) {
    const log = logs[i] as number;
    if (log > (logs[i - 1] as number) || log === -Infinity) return false;
  }
  return true;
}
