/** Rewinds a generation may make for phrases to avoid; past this the rest are let through rather than loop. */
export const MAX_REWINDS = 32;

/**
 * Phrases a passage must not contain (an author's "never write 'shivers down her spine'"), found in the text as it
 * is generated, so that generation can rewind to where one began and draw another token there (as KoboldCpp's
 * phrase bans do). Case is ignored; a phrase begins at the start of a word ("ale" does not match "tale") and may end
 * inside one ("shiver" matches "shivers"). Remembers, for each position of the generation, the tokens that began a
 * phrase there, so the same start is never drawn twice.
 */
export class PhraseGuard {
  readonly #phrases: readonly string[];
  readonly #longest: number;
  readonly #banned = new Map<number, Set<number>>();
  #rewinds = 0;

  constructor(phrases: readonly string[]) {
    this.#phrases = [...new Set(phrases.map((p) => fold(p.trim())).filter((p) => p.length > 0))];
    this.#longest = Math.max(0, ...this.#phrases.map((p) => p.length));
  }

  get active(): boolean {
    return this.#phrases.length > 0 && this.#rewinds < MAX_REWINDS;
  }

  get rewinds(): number {
    return this.#rewinds;
  }

  /** Where the first phrase in `text` begins, looking only at phrases that end after `from`; -1 when none does. */
  find(text: string, from: number): number {
    if (!this.active) return -1;
    const start = Math.max(0, from - this.#longest);
    const lower = fold(text.slice(start));
    let first = -1;
    for (const phrase of this.#phrases) {
      let at = lower.indexOf(phrase);
      while (at !== -1 && !startsWord(lower, at, start === 0 ? '' : text.charAt(start - 1))) at = lower.indexOf(phrase, at + 1);
      if (at !== -1 && (first === -1 || start + at < first)) first = start + at;
    }
    return first;
  }

  /** Characters at the end of `text` that may yet become a phrase: held back from the reader until they resolve. */
  pending(text: string): number {
    if (!this.active) return 0;
    const tail = fold(text.slice(-this.#longest));
    const offset = text.length - tail.length;
    let held = 0;
    for (const phrase of this.#phrases) {
      for (let k = Math.min(phrase.length - 1, tail.length); k > held; k--) {
        const at = tail.length - k;
        if (tail.endsWith(phrase.slice(0, k)) && startsWord(tail, at, offset + at === 0 ? '' : text.charAt(offset + at - 1))) {
          held = k;
          break;
        }
      }
    }
    return held;
  }

  /** Never draw `token` at `position` again; counts one rewind. */
  ban(position: number, token: number): void {
    const set = this.#banned.get(position) ?? new Set<number>();
    set.add(token);
    this.#banned.set(position, set);
    this.#rewinds++;
  }

  banned(position: number): ReadonlySet<number> | undefined {
    return this.#banned.get(position);
  }
}

/** Lower case, character for character: a character whose lower case is longer ("İ") stays, so indices hold. */
function fold(text: string): string {
  let folded = '';
  for (const character of text) {
    const lower = character.toLowerCase();
    folded += lower.length === character.length ? lower : character;
  }
  return folded;
}

/** Whether `text[at]` begins a word: nothing before it, or a character that is not a letter or digit. */
function startsWord(text: string, at: number, before: string): boolean {
  const previous = at > 0 ? text.charAt(at - 1) : before;
  return previous === '' || !/[\p{L}\p{N}]/u.test(previous);
}
