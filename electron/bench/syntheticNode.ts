import type { MemoryEntry, MemoryKind, NodeStats, Plan, TokenSurprisal } from '../contract/index.js';
import type { NewNodeRecord } from '../store/NewNodeRecord.js';

/** Function words, about half of the words of real prose (FTS indexes them too, so they count for size). */
const FUNCTION_WORDS = `the of and to a in was he it that she his her had with for on as at by but not they from
  were be said you this all one there their an or have would them out into up so what we no been if could when
  then more him me down over back like just only than through now before about after again still some`
  .split(/\s+/u)
  .filter(Boolean);
const SYLLABLES = 'ka lo mi ren to sa vel dor an is ther ol um bri ca fen gar nes pol yth ard mel cor tas'.split(' ');
/** 12,000 made-up content words; drawn by Zipf's law (rank r with weight 1/r), like the words of a long novel. */
const CONTENT_WORDS = Array.from({ length: 12_000 }, (_, i) => {
  let word = '';
  for (let n = i + SYLLABLES.length; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});
const ZIPF = (() => {
  let total = 0;
  return CONTENT_WORDS.map((_, i) => (total += 1 / (i + 1))).map((c) => c / total);
})();
const KINDS: MemoryKind[] = ['canon', 'plot', 'plot', 'chatter'];
/** Entries in a memory snapshot: the budget (10% of a 4k context) holds about twenty sentences. */
const MEMORY_ENTRIES = 20;
const STATS: NodeStats = {
  promptTokens: 2900,
  evaluatedTokens: 420,
  generatedTokens: 380,
  milliseconds: 11_000,
  retries: 0,
  fallback: false,
  regenerated: false,
  scoringMs: 60,
};

/** A seeded generator of story text: deterministic, so runs of the benchmark compare. */
export class SyntheticText {
  #state: number;

  constructor(seed: number) {
    this.#state = seed;
  }

  random(): number {
    this.#state = (this.#state * 1103515245 + 12345) % 2 ** 31;
    return this.#state / 2 ** 31;
  }

  word(): string {
    if (this.random() < 0.45) return FUNCTION_WORDS[Math.floor(this.random() ** 2 * FUNCTION_WORDS.length)] ?? 'the';
    const u = this.random();
    let lo = 0;
    let hi = ZIPF.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ZIPF[mid] ?? 1) < u) lo = mid + 1;
      else hi = mid;
    }
    return CONTENT_WORDS[lo] ?? 'ka';
  }

  /** Roughly `words` words in sentences of 8–20 words. */
  text(words: number): string {
    const sentences: string[] = [];
    for (let left = words; left > 0; ) {
      const length = Math.min(left, 8 + Math.floor(this.random() * 13));
      const sentence = Array.from({ length }, () => this.word()).join(' ');
      sentences.push(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
      left -= length;
    }
    return sentences.join(' ');
  }

  between(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
}

/**
 * The next node of a synthetic story, as a step writes it: a passage of 150–250 words, a summary, short memory,
 * three plans, the surprisal memory snapshot (the parent's entries decayed, a few new from this passage) and the
 * per-token surprisal of the passage. `lead` begins the passage (a label a test or the UI bench looks for).
 */
export function syntheticNode(text: SyntheticText, turn: number, previous: readonly MemoryEntry[], lead = ''): NewNodeRecord {
  const passage = lead + text.text(text.between(150, 250));
  const plans: Plan[] = [1, 2, 3].map((k) => ({ label: `Option ${k}`, text: text.text(text.between(20, 40)) }));
  const fresh: MemoryEntry[] = Array.from({ length: text.between(1, 3) }, (_, k) => {
    const start = text.between(0, passage.length - 120);
    const score = 1 + text.random() * 2;
    return {
      id: `t${turn}.${k}`,
      text: passage.slice(start, start + text.between(60, 120)),
      kind: KINDS[text.between(0, KINDS.length - 1)] ?? 'plot',
      score,
      base: score,
      turnAdded: turn,
      lastSeen: turn,
      pinned: false,
      sourceNode: null,
      offsets: { start, end: start + 100 },
    };
  });
  const keyMemory = [...previous.map((e) => ({ ...e, score: e.kind === 'canon' ? e.score : e.score * 0.95 })), ...fresh]
    .sort((a, b) => b.score - a.score)
    .slice(0, MEMORY_ENTRIES);
  return {
    passage,
    summary: text.text(text.between(18, 30)),
    instruction: { kind: 'choice', choice: 1, text: text.text(text.between(20, 40)) },
    shortMemory: text.text(text.between(60, 100)),
    plans,
    keyMemory,
    ownEntryIds: fresh.map((e) => e.id),
    tokens: tokensOf(text, passage),
    stats: STATS,
  };
}

/** About four characters a token, as a BPE tokenizer cuts English; surprisal skewed low, with a long tail. */
function tokensOf(text: SyntheticText, passage: string): TokenSurprisal[] {
  const tokens: TokenSurprisal[] = [];
  for (let at = 0; at < passage.length; ) {
    const length = Math.min(passage.length - at, text.between(2, 6));
    tokens.push({ text: passage.slice(at, at + length), surprisal: -Math.log(1 - text.random() * 0.999) * 2 });
    at += length;
  }
  return tokens;
}

/** A query as a step makes one: the chosen plan's text. */
export function syntheticQuery(text: SyntheticText): string {
  return text.text(text.between(20, 40));
}
