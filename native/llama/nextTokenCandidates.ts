import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';

/** A token the model could write next, as text in place, with its probability under the raw distribution. */
export interface TokenCandidate {
  text: string;
  probability: number;
}

/** Tokens of the prompt's end passed to detokenize, so a candidate's leading space shows as it would in the text. */
const CONTEXT_TOKENS = 4;

/**
 * The `count` likeliest next tokens after `tokens`, from the plain softmax over the whole vocabulary (no sampler:
 * temperature 1, no truncation), so the probabilities are the model's own and comparable with the heatmap's
 * surprisal (p = e^−s). Tokens with no text of their own (end of text, control tokens, a byte that is only part of
 * a character) are left out; candidates that read the same are merged.
 *
 * The sequence keeps what it shares with `tokens` and is left holding them, so asking again at another point of the
 * same passage reads only the part that differs.
 */
export async function nextTokenCandidates(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  tokens: readonly Token[],
  count: number,
  signal?: AbortSignal,
): Promise<TokenCandidate[]> {
  if (tokens.length === 0) return [];
  if (signal?.aborted) throw new NativeError('CANCELLED', 'Reading the alternatives was stopped.');
  const keep = Math.min(sequence.compareContextTokens([...tokens]).firstDifferentIndex, tokens.length - 1);
  if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  const rest = tokens.slice(keep);
  const results = await sequence.controlledEvaluate(
    rest.map((token, i) => (i === rest.length - 1 ? [token, { generateNext: { probabilities: true } }] : token)),
  );
  const probabilities = results.at(-1)?.next.probabilities;
  if (!probabilities) throw new NativeError('GENERATION_FAILED', 'The model returned no distribution for the next token.');

  const context = [...tokens.slice(-CONTEXT_TOKENS)];
  const byText = new Map<string, number>();
  const ranked = [...probabilities].sort((a, b) => b[1] - a[1]);
  for (const [token, probability] of ranked) {
    if (model.isEogToken(token as Token)) continue;
    const text = model.detokenize([token as Token], false, context);
    if (text === '' || text.includes('\ufffd')) continue;
    if (!byText.has(text) && byText.size >= count) break;
    byText.set(text, (byText.get(text) ?? 0) + probability);
  }
  return [...byText].map(([text, probability]) => ({ text, probability: Math.min(1, probability) })).sort((a, b) => b.probability - a.probability);
}

