const WORD = /[\p{L}\p{N}]+/gu;
// Function words that say nothing about which detail a text is about.
const STOPWORDS = new Set(
  ('the and but for not you your she her him his they them their its are was were has had have with from that this ' +
    'what when where who why how all any can could would should will into onto over then than there here very just ' +
    'said says one out off our ours too also been being did does some such only own same each few more most other')
    .split(' '),
);

/** Lower-cased content words of a text (3+ characters, no function words). */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length >= 3 && !STOPWORDS.has(word)) words.add(word);
  }
  return words;
}

/** Lower-cased names: capitalised words that do not start a sentence (and are not "I"). */
export function names(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const index = match.index ?? 0;
    if (!/^\p{Lu}/u.test(word) || word === 'I' || word.length < 2) continue;
    const before = text.slice(0, index).trimEnd();
    if (before === '' || /[.!?…"“«(\n]$/u.test(before)) continue;
    found.add(word.toLowerCase());
  }
  return found;
}

/** Jaccard overlap of two texts' content words: 1 for the same words, 0 for none in common. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}
