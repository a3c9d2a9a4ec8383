export interface DrySettings {
  /** Multiplier of the penalty; 0 turns it off. */
  strength: number;
  /** Growth per token of repeat beyond the allowed length. */
  base?: number;
  /** Repeats up to this many tokens go unpunished. */
  allowedLength?: number;
}

/** Exponents past this would overflow a float logit in llama.cpp too; the penalty stops growing there. */
const MAX_EXPONENT = 40;

/**
 * The DRY ("don't repeat yourself") penalty with llama.cpp's semantics, over the tokens generated so far: a
 * candidate that would extend the text's ending into a repeat of an earlier stretch, matched over n ≥ allowedLength
 * tokens, loses strength · base^(n − allowedLength) from its logit. A match never reaches back across a sequence
 * breaker (a token whose text holds a newline, colon, quote or asterisk by default), so formatting may recur.
 */
export class DryPenalty {
  readonly #strength: number;
  readonly #base: number;
  readonly #allowed: number;
  readonly #isBreaker: (token: number) => boolean;
  #history = new Int32Array(256);
  #length = 0;
  /** Longest match per token id (grown on demand) and the ids set in it, reset after each use. */
  #longest = new Int32Array(1024);
  #touched = new Int32Array(256);

  constructor(settings: DrySettings, isBreaker: (token: number) => boolean) {
    this.#strength = Math.max(0, settings.strength);
    this.#base = settings.base ?? 1.75;
    this.#allowed = Math.max(1, settings.allowedLength ?? 2);
    this.#isBreaker = isBreaker;
  }

  /** Forgets every token after the first `length` (the generation rewound there). */
  rewind(length: number): void {
    this.#length = Math.min(this.#length, length);
  }

  accept(token: number): void {
    if (this.#length === this.#history.length) this.#history = grow(this.#history, this.#length * 2);
    this.#history[this.#length++] = token;
  }

  /** Subtracts the penalty from `logits[i]` of each candidate `ids[i]` (i < count); true when any was penalised. */
  apply(ids: Int32Array, logits: Float64Array, count: number): boolean {
    const h = this.#history;
    const n = this.#length;
    if (this.#strength === 0 || n <= this.#allowed) return false;
    // How far back the ending may match: up to the last sequence breaker.
    let limit = 0;
    while (limit < n - 1 && !this.#isBreaker(h[n - 1 - limit] as number)) limit++;
    if (limit < this.#allowed) return false;

    let touched = 0;
    // An earlier stretch ending at j matches the text's ending over m tokens; h[j + 1] would repeat what followed it.
    for (let j = n - 2; j >= 0; j--) {
      let m = 0;
      while (m < limit && m <= j && h[j - m] === h[n - 1 - m]) m++;
      if (m < this.#allowed) continue;
      const next = h[j + 1] as number;
      if (next >= this.#longest.length) this.#longest = grow(this.#longest, Math.max(next + 1, this.#longest.length * 2));
      if (this.#longest[next] === 0) {
        if (touched === this.#touched.length) this.#touched = grow(this.#touched, touched * 2);
        this.#touched[touched++] = next;
      }
      if (m > (this.#longest[next] as number)) this.#longest[next] = m;
    }
    let penalised = false;
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      const m = id < this.#longest.length ? (this.#longest[id] as number) : 0;
      if (m >= this.#allowed) {
        logits[i] = (logits[i] as number) - this.#strength * this.#base ** Math.min(MAX_EXPONENT, m - this.#allowed);
        penalised = true;
      }
    }
    for (let t = 0; t < touched; t++) this.#longest[this.#touched[t] as number] = 0;
    return penalised;
  }
}

function grow(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}
