import {
  type ControlledEvaluateInputItem,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
  TokenBias,
} from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import { exactSurprisal, topKSurprisal } from './surprisalMath.js';

export type ScoringMethod = 'exact' | 'top-k';

export interface ScoreRangeOptions {
  method: ScoringMethod;
  /** Candidates per position on the top-K path. */
  topK: number;
  /** Nats added to the scored token's logit on the top-K path, so it shows up in the map (see topKSurprisal). */
  bias: number;
  contextSize: number;
  vocabularySize: number;
  signal?: AbortSignal;
}

export interface RangeScores {
  /** One per token of the range; NaN for a token nothing precedes (no BOS and no context), which has no prediction. */
  surprisal: number[];
  /** Tokens the model had to read; the rest were already in the sequence. */
  evaluatedTokens: number;
  /** Top-K path only: tokens that stayed outside the map and got the documented cap. */
  outsideTopK: number;
  /**
   * Time spent reading context before the range (no distributions asked): work a generation that follows on the
   * same prompt would otherwise do itself, since it then finds those tokens in the cache.
   */
  contextMilliseconds: number;
}

/**
 * Aligned surprisal of tokens[from, to): s_i = −ln p(x_i | x_<i), read from the distribution computed *at position
 * i − 1*. (SirLLM's released scorer gathers the logits of position i at x_i, which is the probability of x_i
 * repeating, then shifts by one; this is the paper's definition instead.)
 *
 * Teacher-forced with `controlledEvaluate`, asking for the next-token distribution only where a token of the range
 * follows. The exact path reads the plain softmax over the whole vocabulary (greedy sampler options leave it
 * untouched); the top-K path asks for K candidates at temperature 1, top-p 1, min-p 0, with the scored token's logit
 * raised by `bias` (undone in topKSurprisal), which costs a small fraction of a full-vocabulary map.
 *
 * The sequence keeps whatever prefix it shares with the tokens, and is left holding them, so a following call on
 * the same prompt reuses the cache. Tokens that do not fit the context are scored in windows: each keeps the BOS and
 * up to half a context of the tokens just before it.
 */
export async function scoreRange(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  tokens: readonly Token[],
  from: number,
  to: number,
  options: ScoreRangeOptions,
): Promise<RangeScores> {
  const surprisal = new Array<number>(Math.max(0, to - from)).fill(Number.NaN);
  let evaluatedTokens = 0;
  let outsideTopK = 0;
  let contextMilliseconds = 0;
  const size = options.contextSize;
  const bos = model.tokens.bos;
  const lead = bos !== null && tokens[0] === bos ? 1 : 0;
  const window = to <= size ? null : Math.max(1, Math.floor(size / 2));
  let t0 = Math.max(from, 1);

  while (t0 < to) {
    if (options.signal?.aborted) throw new NativeError('CANCELLED', 'Scoring was stopped.');
    // Window = [lead tokens] + tokens[a, t1); the token at a − 1 … is what predicts t0.
    const a = window === null ? lead : Math.max(lead, t0 - window);
    const t1 = Math.min(to, a + size - lead);
    const part = [...tokens.slice(0, lead), ...tokens.slice(a, t1)];
    const indexOf = (position: number) => position - a + lead;
    const keep = Math.min(sequence.compareContextTokens(part).firstDifferentIndex, indexOf(t0 - 1));
    if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
    // Context first, in its own pass, so its cost is known apart from the scoring proper.
    const first = indexOf(t0 - 1);
    if (keep < first) {
      const started = performance.now();
      await sequence.controlledEvaluate(part.slice(keep, first));
      contextMilliseconds += performance.now() - started;
      evaluatedTokens += first - keep;
    }

    const items: ControlledEvaluateInputItem[] = part.slice(first).map((token, j) => {
      const next = first + j + a - lead + 1; // the position this item predicts
      if (next < t0 || next >= t1) return token;
      if (options.method === 'exact') return [token, { generateNext: { probabilities: true } }];
      const tokenBias = new TokenBias(model.tokenizer).set(tokens[next] as Token, { logit: options.bias });
      return [token, { generateNext: { probabilities: true, options: { temperature: 1, topK: options.topK, topP: 1, minP: 0, tokenBias } } }];
    });
    const results = await sequence.controlledEvaluate(items);
    evaluatedTokens += items.length;

    for (let t = t0; t < t1; t++) {
      const probabilities = results[indexOf(t - 1) - first]?.next.probabilities;
      const token = tokens[t] as Token;
      if (!probabilities) continue;
      if (options.method === 'exact') {
        surprisal[t - from] = exactSurprisal(probabilities, token);
      } else {
        const scored = topKSurprisal(probabilities, token, options.bias, options.vocabularySize);
        if (!scored.inTopK) outsideTopK += 1;
        surprisal[t - from] = scored.surprisal;
      }
    }
    t0 = t1;
  }
  return { surprisal, evaluatedTokens, outsideTopK, contextMilliseconds };
}
