import type { Conversation } from './Conversation.js';
import { LruMemo } from './LruMemo.js';

/**
 * The last few conversations' tokens. A step renders the same conversation several times: to generate, then to
 * score the passage (the whole prompt and passage, the prompt alone, the prompt and passage again), and
 * tokenizing a prompt of a thousand tokens costs milliseconds each time, which was a tenth of the scoring.
 */
export class RenderMemo<T> {
  readonly #memo: LruMemo<T>;

  constructor(size: number) {
    this.#memo = new LruMemo<T>(size);
  }

  /** The value rendered for `conversation`, computing it only when none of the last `size` conversations matches. */
  get(conversation: Conversation, render: () => T): T {
    return this.#memo.get(keyOf(conversation), render);
  }

  /** Remembers `value` as what `conversation` renders to (known already, say, from a file this model saved). */
  prime(conversation: Conversation, value: T): void {
    this.#memo.set(keyOf(conversation), value);
  }
}

function keyOf(conversation: Conversation): string {
  return JSON.stringify([conversation.system, conversation.turns.map((t) => [t.user, t.answer])]);
}
