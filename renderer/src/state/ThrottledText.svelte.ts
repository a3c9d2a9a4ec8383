/**
 * The latest of a changing text, let through at most once every `ms`, the last change always (after the wait):
 * for a live region that would otherwise speak at every change. An empty text clears it at once.
 */
export class ThrottledText {
  #text = $state('');
  #at = -Infinity;
  #pending: ReturnType<typeof setTimeout> | undefined;
  readonly #ms: number;

  constructor(ms: number) {
    this.#ms = ms;
  }

  get text(): string {
    return this.#text;
  }

  set(text: string): void {
    this.stop();
    if (!text) {
      this.#text = '';
      this.#at = -Infinity;
      return;
    }
    const wait = this.#at + this.#ms - Date.now();
    if (wait <= 0) this.#let(text);
    else this.#pending = setTimeout(() => this.#let(text), wait);
  }

  /** Drops a text still waiting (when the region goes away). */
  stop(): void {
    clearTimeout(this.#pending);
    this.#pending = undefined;
  }

  #let(text: string): void {
    this.#text = text;
    this.#at = Date.now();
  }
}
