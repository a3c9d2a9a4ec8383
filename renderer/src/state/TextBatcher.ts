/** Calls `flush` once, later: the next animation frame in a page. */
export type Schedule = (flush: () => void) => void;

/** The next frame where there are frames; a frame's length otherwise (tests, a worker). */
export const nextFrame: Schedule = (flush) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};

/**
 * Gathers streamed text and hands it on at most once per frame, joined. A model writes faster than a screen
 * repaints; applying each token on its own would re-render the draft (and announce, and measure) for nothing.
 */
export class TextBatcher {
  #pending = '';
  #scheduled = false;
  readonly #apply: (text: string) => void;
  readonly #schedule: Schedule;

  constructor(apply: (text: string) => void, schedule: Schedule = nextFrame) {
    this.#apply = apply;
    this.#schedule = schedule;
  }

  /** Text not handed on yet. */
  get pending(): string {
    return this.#pending;
  }

  push(text: string): void {
    this.#pending += text;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      this.flush();
    });
  }

  /** Hands on what is pending now (before a phase change or the end, so no text is shown late or lost). */
  flush(): void {
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    this.#apply(text);
  }

  /** Drops what is pending (the passage is being written again, or the call ended). */
  clear(): void {
    this.#pending = '';
  }
}
