import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { Generation } from './Generation.js';
import type { GenerationScorer } from './GenerationScorer.js';
import { IncrementalDecoder } from './IncrementalDecoder.js';
import type { PhraseGuard } from './PhraseGuard.js';
import type { TextStream } from './TextStream.js';

export interface DrawParts {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  /** The whole prompt, which the sequence holds (or is about to read) before the first generated token. */
  prompt: readonly Token[];
  /** Feeds tokens to the sequence and yields the tokens drawn after them, until the model ends the text. */
  evaluate: (input: Token[]) => AsyncIterable<Token>;
  scorer: GenerationScorer | null;
  /** Phrases to avoid; needs the scorer, whose sampler takes the bans. */
  guard: PhraseGuard | null;
  stream: TextStream;
}

/**
 * The generation loop: draws tokens after `input` (the part of the prompt the sequence does not hold yet), streams
 * their text, and stops at the model's end, a stop string or `maxTokens`. Where a phrase to avoid appears, it goes
 * back to the token the phrase began in, bans that token there, and draws again from the token before it.
 */
export async function drawTokens(
  parts: DrawParts,
  input: Token[],
  options: { maxTokens: number; signal?: AbortSignal; onText?: (text: string) => void },
): Promise<{ generated: Token[]; stopReason: Generation['stopReason'] }> {
  const { sequence, prompt, scorer, guard, stream } = parts;
  const generated: Token[] = [];
  /** End of each generated token's text in `decoded`. */
  const ends: number[] = [];
  let decoder = new IncrementalDecoder(parts.model);
  let decoded = '';
  let stopReason: Generation['stopReason'] = 'end';
  let next = input;
  for (;;) {
    let rewindTo = -1;
    for await (const token of parts.evaluate(next)) {
      if (options.signal?.aborted) break;
      generated.push(token);
      const before = decoded.length;
      decoded = decoder.push(token);
      ends.push(decoded.length);
      scorer?.place(decoded.length);
      const avoided = guard?.find(decoded, before) ?? -1;
      if (avoided >= 0) {
        rewindTo = ends.findIndex((end) => end > avoided);
        break;
      }
      const { delta, stopped } = stream.update(decoded, guard ? held(decoded, ends, guard) : 0);
      if (delta) options.onText?.(delta);
      if (stopped) {
        stopReason = 'stop-string';
        break;
      }
      if (generated.length >= options.maxTokens) {
        stopReason = 'length';
        break;
      }
    }
    if (rewindTo < 0 || !guard || !scorer) return { generated, stopReason };
    // The phrase was held back from the stream, so the reader never saw it. The token drawn last was never fed to
    // the sequence; the one before the rewind point is read again for its distribution.
    guard.ban(rewindTo, generated[rewindTo] as Token);
    generated.length = rewindTo;
    ends.length = rewindTo;
    scorer.rewind(rewindTo);
    decoder = new IncrementalDecoder(parts.model);
    decoded = '';
    for (const token of generated) decoded = decoder.push(token);
    stream.update(decoded, held(decoded, ends, guard));
    const last = rewindTo === 0 ? prompt.at(-1) : generated.at(-1);
    await sequence.eraseContextTokenRanges([{ start: prompt.length + rewindTo - 1, end: sequence.nextTokenIndex }]);
    next = [last as Token];
  }
}

/**
 * Characters to hold back from the reader: from the start of the token in which a phrase may be beginning, since
 * a rewind takes back that whole token.
 */
function held(text: string, ends: readonly number[], guard: PhraseGuard): number {
  const pending = guard.pending(text);
  if (pending === 0) return 0;
  const from = text.length - pending;
  // The start of the token holding `from`: the last end at or before it. Searched from the end, since the phrase
  // is there (this runs once a token).
  let token = ends.length;
  while (token > 0 && (ends[token - 1] as number) > from) token--;
  return text.length - (token === 0 ? 0 : (ends[token - 1] as number));
}
