import type { LlamaModel, Token } from 'node-llama-cpp';

/** Tokens of context passed to detokenize, so a token's leading space is rendered as it is in running text. */
const CONTEXT_TOKENS = 4;
/** A UTF-8 character spans at most four byte tokens; past that, a replacement character is real output. */
const MAX_PENDING = 4;

/**
 * The text of a growing token list, decoding each new token once instead of the whole list every time (which
 * made streaming quadratic). Byte-fallback tokens that end mid-character are held until the character is whole.
 */
export class IncrementalDecoder {
  readonly #model: LlamaModel;
  #text = '';
  readonly #pending: Token[] = [];
  readonly #context: Token[] = [];

  constructor(model: LlamaModel) {
    this.#model = model;
  }

  /** Adds a token; returns all the text decoded so far (without a still-incomplete character). */
  push(token: Token): string {
    this.#pending.push(token);
    const piece = this.#model.detokenize(this.#pending, false, this.#context);
    if (piece.endsWith('\ufffd') && this.#pending.length < MAX_PENDING) return this.#text;
    this.#text += piece;
    // In place: this runs once per generated token.
    this.#context.push(...this.#pending);
    if (this.#context.length > CONTEXT_TOKENS) this.#context.splice(0, this.#context.length - CONTEXT_TOKENS);
    this.#pending.length = 0;
    return this.#text;
  }
}
