import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import { type ScoreRangeOptions, scoreRange } from './scoreRange.js';
import { MAX_SURPRISAL } from './surprisalMath.js';
import type { TextScore } from './TextScore.js';
import { alignPieces, tokenPieces } from './tokenPieces.js';

/**
 * Scores tokens[from, to) (see scoreRange) and lays them over `text`, the characters they stand for, so the
 * tokens' texts join into exactly that text: nothing lost, nothing from the surrounding prompt added.
 */
export async function scoreTokens(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  tokens: readonly Token[],
  from: number,
  to: number,
  text: string,
  options: ScoreRangeOptions,
): Promise<TextScore> {
  const started = performance.now();
  try {
    const pieces = tokenPieces(model, tokens, from, to);
    // Renderings cut at the text's ends may share a token or two beyond it (a newline the template adds): drop them.
    let first = 0;
    let last = pieces.length;
    // (Empty pieces are bytes of a character the text needs, never such extras.)
    while (last - first > 1 && pieces[last - 1] !== '' && pieces.slice(first, last - 1).join('').includes(text)) last--;
    while (last - first > 1 && pieces[first] !== '' && pieces.slice(first + 1, last).join('').includes(text)) first++;
    const scored = await scoreRange(model, sequence, tokens, from + first, from + last, options);
    const ranges = alignPieces(pieces.slice(first, last), text);
    // A first token with nothing before it has no prediction: it gets the text's maximum, as SirLLM gives a chunk's first token.
    const known = scored.surprisal.filter((s) => !Number.isNaN(s));
    const fill = known.length > 0 ? Math.max(...known) : MAX_SURPRISAL;
    const result = ranges.map((range, i) => {
      const surprisal = scored.surprisal[i] ?? Number.NaN;
      return { text: text.slice(range.start, range.end), surprisal: Number.isNaN(surprisal) ? fill : surprisal, ...range };
    });
    return {
      tokens: result,
      meanSurprisal: result.length > 0 ? result.reduce((sum, t) => sum + t.surprisal, 0) / result.length : null,
      method: options.method,
      evaluatedTokens: scored.evaluatedTokens,
      outsideTopK: scored.outsideTopK,
      milliseconds: performance.now() - started,
      contextMilliseconds: scored.contextMilliseconds,
    };
  } catch (error) {
    if (error instanceof NativeError) throw error;
    if (options.signal?.aborted) throw new NativeError('CANCELLED', 'Scoring was stopped.');
    throw new NativeError('GENERATION_FAILED', error instanceof Error ? error.message : String(error), { cause: error });
  }
}
