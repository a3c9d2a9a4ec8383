/**
 * Token counts of recent texts. Prompt assembly counts the same stable texts again and again (the story bible,
 * memory entries, the previous passage, whole bodies while trimming), and the read-ahead after a step assembles
 * exactly the prompt the next step usually asks for; a count of a prompt-sized text costs milliseconds each time.
 */
export class TokenCountMemo {
  readonly #size: number;
  readonly #counts = new Map<string, number>();

  constructor(size: number) {
    this.#size = size;
  }

  get(text: string, count: () => number): number {
    const found = this.#counts.get(text);
    if (found !== undefined) {
      // Most recently used last, so the oldest is the one dropped.
      this.#counts.delete(text);
      this.#counts.set(text, found);
      return found;
    }
    const value = count();
    this.#counts.set(text, value);
    if (this.#counts.size > this.#size) this.#counts.delete(this.#counts.keys().next().value as string);
    return value;
  }
}
