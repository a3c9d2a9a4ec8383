import type { Conversation } from './Conversation.js';

/**
 * The last few conversations' tokens. A step renders the same conversation several times: to generate, then to
 * score the passage (the whole prompt and passage, the prompt alone, the prompt and passage again), and
 * tokenizing a prompt of a thousand tokens costs milliseconds each time, which was a tenth of the scoring.
 */
export class RenderMemo<T> {
  readonly #size: number;
  readonly #entries = new Map<string, T>();

  constructor(size: number) {
    this.#size = size;
  }

  /** The value rendered for `conversation`, computing it only when none of the last `size` conversations matches. */
  get(conversation: Conversation, render: () => T): T {
    const key = JSON.stringify([conversation.system, conversation.turns.map((t) => [t.user, t.answer])]);
    const found = this.#entries.get(key);
    if (found !== undefined) {
      // Most recently used last, so the oldest is the one dropped.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const value = render();
    this.#entries.set(key, value);
    if (this.#entries.size > this.#size) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }
}
