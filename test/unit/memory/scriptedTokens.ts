import type { ScoredToken } from '../../../electron/memory/surprisal/ScoredToken.js';

/** Word-tokens (each with its leading whitespace) covering `text` exactly, scored by `surprisal`. */
export function scriptedTokens(text: string, surprisal: (word: string, index: number) => number): ScoredToken[] {
  return [...text.matchAll(/\s*\S+|\s+$/gu)].map((m, i) => {
    const start = m.index ?? 0;
    return { text: m[0], surprisal: surprisal(m[0].trim(), i), start, end: start + m[0].length };
  });
}

/** Tokens whose surprisal is `high` inside any of the `surprising` sentences and `low` elsewhere. */
export function tokensWithHighlights(text: string, surprising: readonly string[], high = 8, low = 1): ScoredToken[] {
  const ranges = surprising.map((s) => {
    const start = text.indexOf(s);
    if (start === -1) throw new Error(`"${s}" is not in the text`);
    return { start, end: start + s.length };
  });
  return scriptedTokens(text, () => low).map((t) => {
    const inside = ranges.some((r) => t.start + (t.text.length - t.text.trimStart().length) >= r.start && t.end <= r.end);
    return inside ? { ...t, surprisal: high } : t;
  });
}

/** Counts words, the scripted models' tokenizer. */
export function words(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

/** A small seeded generator (mulberry32), so "random" test text is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
