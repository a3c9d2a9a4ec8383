import type { LlamaModel, Token } from 'node-llama-cpp';

/** Tokens of context passed to detokenize, so a token's leading space is rendered as it is in running text. */
const CONTEXT_TOKENS = 4;

/**
 * The prompt `tokens`, starting with as many of the sequence's `held` tokens as spell the same text. A model's own
 * tokens often differ from how its text tokenizes when read back ("m"+"irets" written, "mi"+"rets" read), and a
 * follow-up call on the passage (the memory update) would otherwise read the whole passage again from the first
 * such token. Returns `tokens` unchanged when the sequence holds no more of the text than a token comparison finds.
 */
export function reuseHeldTokens(model: LlamaModel, held: readonly Token[], tokens: readonly Token[]): Token[] {
  const first = commonPrefix(held, tokens);
  if (first >= held.length || first >= tokens.length) return [...tokens];
  const context = held.slice(Math.max(0, first - CONTEXT_TOKENS), first);
  const wanted = new TextEnds(boundaries(model, tokens, first, context));
  // Follow the held tokens while their text keeps to the prompt's, remembering the last boundary both share. A
  // piece may carry a space the prompt lacks: a passage's text drops its first token's leading space (SentencePiece
  // renders none at the start of a text), though the model wrote the token with it.
  let best: { held: number; tokens: number } | null = null;
  let at = 0;
  for (const { piece, index } of boundaries(model, held, first, context)) {
    if (wanted.startsWith(piece, at)) at += piece.length;
    else if (piece.startsWith(' ') && wanted.startsWith(piece.slice(1), at)) at += piece.length - 1;
    else break;
    const end = wanted.endAt(at);
    if (end !== undefined) best = { held: index, tokens: end };
  }
  if (!best) return [...tokens];
  return [...held.slice(0, best.held), ...tokens.slice(best.tokens)];
}

/**
 * The prompt's text from the first difference on, decoded only as far as the held text is compared (a sequence
 * holding another story's tokens breaks off at once), with the index past the token ending at each length.
 */
class TextEnds {
  readonly #pieces: Iterator<{ piece: string; index: number }>;
  readonly #ends = new Map<number, number>();
  #text = '';
  #done = false;

  constructor(pieces: Iterator<{ piece: string; index: number }>) {
    this.#pieces = pieces;
  }

  startsWith(piece: string, at: number): boolean {
    this.#decodeTo(at + piece.length);
    return this.#text.startsWith(piece, at);
  }

  /** The index past the token whose text ends at `length`, if one does. */
  endAt(length: number): number | undefined {
    this.#decodeTo(length);
    return this.#ends.get(length);
  }

  #decodeTo(length: number): void {
    while (!this.#done && this.#text.length < length) {
      const next = this.#pieces.next();
      if (next.done) this.#done = true;
      else {
        this.#text += next.value.piece;
        this.#ends.set(this.#text.length, next.value.index);
      }
    }
  }
}

/**
 * Walks tokens[from…] and yields the text each run of tokens adds, once it ends on a whole character (byte tokens
 * that split a character are joined with the token that completes it), with the index just past the run.
 */
function* boundaries(model: LlamaModel, tokens: readonly Token[], from: number, context: readonly Token[]): Generator<{ piece: string; index: number }> {
  let before = [...context];
  let start = from;
  for (let i = from; i < tokens.length; i++) {
    const run = tokens.slice(start, i + 1);
    const piece = model.detokenize(run, true, before);
    // A character still incomplete: wait for the byte tokens that finish it (at most four make one).
    if (piece.endsWith('\ufffd') && run.length < 4) continue;
    yield { piece, index: i + 1 };
    before = [...before, ...run].slice(-CONTEXT_TOKENS);
    start = i + 1;
  }
}

function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
