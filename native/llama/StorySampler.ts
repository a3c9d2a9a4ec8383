import { DryPenalty, type DrySettings } from './DryPenalty.js';
import { seededRandom } from './seededRandom.js';

export interface StorySamplerOptions {
  temperature: number;
  /** 0: no limit. */
  topK: number;
  topP: number;
  minP: number;
  /** Unseeded: a random start. */
  seed?: number;
  dry?: DrySettings | null;
}

/**
 * Chooses the next token in JS from the raw distribution's top candidates (token → probability, as llama.cpp returns
 * them at temperature 1 with no truncation), with the story's sampler applied in llama.cpp's order: DRY, top-K,
 * top-P, min-P, temperature, then a draw from a seeded PRNG. Generation asks for that map anyway to score the token
 * it picks, so sampling here costs no second pass. Buffers are reused: this runs once per generated token.
 */
export class StorySampler {
  readonly #options: StorySamplerOptions;
  readonly #random: () => number;
  readonly #dry: DryPenalty | null;
  #ids = new Int32Array(64);
  #logits = new Float64Array(64);
  #order = new Int32Array(64);
  /** The last map's log-probabilities as given (before any penalty), and where the token drawn from it stands. */
  #raw = new Float64Array(64);
  #count = 0;
  #chosen = -1;

  constructor(options: StorySamplerOptions, isBreaker: (token: number) => boolean = () => false) {
    this.#options = options;
    this.#random = seededRandom(options.seed);
    this.#dry = options.dry && options.dry.strength > 0 ? new DryPenalty(options.dry, isBreaker) : null;
  }

  /** Records a token the text now ends with (for DRY). */
  accept(token: number): void {
    this.#dry?.accept(token);
  }

  /**
   * The last map's log-probabilities in the order given, and the index of the token drawn from it (-1: none), so
   * the caller can score that token without reading the map again.
   */
  get drawn(): { logs: Float64Array; count: number; index: number } {
    return { logs: this.#raw, count: this.#count, index: this.#chosen };
  }

  /** Forgets the tokens accepted after the first `length` (the generation rewound there). */
  rewind(length: number): void {
    this.#dry?.rewind(length);
  }

  /**
   * A token drawn from `candidates`, never one of `banned` unless every candidate is; -1 when the map is empty.
   */
  sample(candidates: ReadonlyMap<number, number>, banned?: ReadonlySet<number>): number {
    const index = this.#draw(candidates, banned);
    this.#chosen = index;
    return index < 0 ? -1 : (this.#ids[index] as number);
  }

  #draw(candidates: ReadonlyMap<number, number>, banned: ReadonlySet<number> | undefined): number {
    const count = candidates.size;
    this.#count = count;
    if (count === 0) return -1;
    if (count > this.#ids.length) {
      this.#ids = new Int32Array(count);
      this.#logits = new Float64Array(count);
      this.#order = new Int32Array(count);
      this.#raw = new Float64Array(count);
    }
    const ids = this.#ids;
    const logits = this.#logits;
    const order = this.#order;
    const raw = this.#raw;
    let i = 0;
    for (const [id, p] of candidates) {
      ids[i] = id;
      const log = p > 0 ? Math.log(p) : -Infinity;
      logits[i] = log;
      raw[i] = log;
      order[i] = i;
      i++;
    }
    // llama.cpp hands the map over best first; only a penalty can change the order.
    let penalised = this.#dry?.apply(ids, logits, count) ?? false;
    if (banned && banned.size > 0) {
      for (let c = 0; c < count; c++) {
        if (!banned.has(ids[c] as number)) continue;
        logits[c] = -Infinity;
        penalised = true;
      }
    }
    if (penalised || !isDescending(logits, count)) sortByLogit(order, logits, count);

    const best = logits[order[0] as number] as number;
    if (this.#options.temperature <= 0 || best === -Infinity) return order[0] as number;
    const { topK, topP, minP } = this.#options;
    let kept = topK > 0 ? Math.min(topK, count) : count;
    // A banned candidate sorts last with no weight: keep it out of the draw's fallback too.
    while (kept > 1 && (logits[order[kept - 1] as number] as number) === -Infinity) kept--;

    // Top-P and min-P weigh the candidates at temperature 1, as llama.cpp does before its temperature step.
    let total = 0;
    for (let r = 0; r < kept; r++) total += Math.exp((logits[order[r] as number] as number) - best);
    if (topP < 1) {
      let cumulative = 0;
      for (let r = 0; r < kept; r++) {
        cumulative += Math.exp((logits[order[r] as number] as number) - best) / total;
        if (cumulative >= topP) {
          kept = r + 1;
          break;
        }
      }
    }
    if (minP > 0) {
      const floor = best + Math.log(minP);
      let r = 1;
      while (r < kept && (logits[order[r] as number] as number) >= floor) r++;
      kept = r;
    }

    const temperature = this.#options.temperature;
    let sum = 0;
    for (let r = 0; r < kept; r++) sum += Math.exp(((logits[order[r] as number] as number) - best) / temperature);
    let draw = this.#random() * sum;
    for (let r = 0; r < kept; r++) {
      draw -= Math.exp(((logits[order[r] as number] as number) - best) / temperature);
      if (draw < 0) return order[r] as number;
    }
    return order[kept - 1] as number;
  }
}

function isDescending(logits: Float64Array, count: number): boolean {
  for (let i = 1; i < count; i++) if ((logits[i] as number) > (logits[i - 1] as number)) return false;
  return true;
}

/** Insertion sort of the candidate order, best first: the map is nearly sorted (a penalty moves a few entries). */
function sortByLogit(order: Int32Array, logits: Float64Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const item = order[i] as number;
    const value = logits[item] as number;
    let j = i - 1;
    while (j >= 0 && (logits[order[j] as number] as number) < value) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = item;
  }
}
