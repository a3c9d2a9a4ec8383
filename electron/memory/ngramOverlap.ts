import { normalizedWords } from './normalizedWords.js';

/**
 * The share of the candidate's word n-grams (counted per position) that also occur in at least one recent passage:
 * 1 for a copy, 0 for fresh text, and 0 when the candidate has fewer than `n` words. N-grams never span two recent
 * passages. Words are compared after `normalizedWords`, so case and punctuation do not hide a copy.
 */
export function ngramOverlap(candidate: string, recent: readonly string[], n = 4): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, not ${n}.`);
  const words = normalizedWords(candidate);
  const total = words.length - n + 1;
  if (total <= 0) return 0;

  const seen = new Set<string>();
  for (const passage of recent) for (const gram of ngrams(normalizedWords(passage), n)) seen.add(gram);

  let repeated = 0;
  for (const gram of ngrams(words, n)) if (seen.has(gram)) repeated += 1;
  return repeated / total;
}

function* ngrams(words: readonly string[], n: number): Generator<string> {
  // Words hold no spaces (whitespace is never word-like), so a space is a safe joint.
  for (let i = 0; i + n <= words.length; i++) yield words.slice(i, i + n).join(' ');
}
