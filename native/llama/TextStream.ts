/**
 * Turns a growing list of tokens into text that is safe to show: a token can end half-way through a UTF-8
 * character (byte-fallback vocabularies do this for emoji and CJK), and the end of the text may be the start
 * of a stop string. Both are held back until they resolve.
 */
export class TextStream {
  readonly #stops: readonly string[];
  /** Characters a stop string can reach back behind what was let out: every stop's start stays held back. */
  readonly #reach: number;
  #emitted = 0;
  #text = '';
  #stopped = false;

  constructor(stops: readonly string[]) {
    this.#stops = stops.filter((s) => s.length > 0);
    this.#reach = Math.max(0, ...this.#stops.map((s) => s.length - 1));
  }

  /**
   * The whole decoded text so far; returns the newly safe part, and whether a stop string was reached. `hold`
   * characters at the end are held back besides (text that may yet be taken back: see PhraseGuard).
   */
  update(text: string, hold = 0): { delta: string; stopped: boolean } {
    this.#text = text;
    let end = text.length;
    // Text let out never holds the start of a stop string, so only the tail needs searching: this runs per token.
    const from = Math.max(0, this.#emitted - this.#reach);
    for (const stop of this.#stops) {
      const at = text.indexOf(stop, from);
      if (at !== -1 && at < end) {
        end = at;
        this.#stopped = true;
      }
    }
    let safe = end;
    if (!this.#stopped) {
      while (safe > this.#emitted && text.charCodeAt(safe - 1) === 0xfffd) safe--;
      safe -= this.#pendingStopPrefix(text.slice(Math.max(0, safe - this.#reach), safe));
      safe = Math.min(safe, text.length - hold);
    }
    const delta = safe > this.#emitted ? text.slice(this.#emitted, safe) : '';
    this.#emitted = Math.max(this.#emitted, safe);
    return { delta, stopped: this.#stopped };
  }

  /** At the end: everything up to a stop string, including what was held back. */
  finish(): { delta: string; text: string } {
    let end = this.#text.length;
    for (const stop of this.#stops) {
      const at = this.#text.indexOf(stop);
      if (at !== -1 && at < end) end = at;
    }
    const text = this.#text.slice(0, end);
    const delta = text.slice(this.#emitted);
    this.#emitted = text.length;
    return { delta, text };
  }

  #pendingStopPrefix(text: string): number {
    let longest = 0;
    for (const stop of this.#stops) {
      for (let k = Math.min(stop.length - 1, text.length); k > longest; k--) {
        if (text.endsWith(stop.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}
