/** Common English words that match nearly every passage and so only add noise to BM25. */
const STOP_WORDS = new Set(
  `the and for are but not you all any can had her was one our out his has him she its who how what when where
   which why this that with from they them then than there their theirs have will would could should into were
   been being your yours about just said some very only also more most over such upon each other these those
   because while after before again here off once own same too does did doing until nor itself himself herself`
    .split(/\s+/)
    .filter(Boolean),
);

const MAX_TERMS = 24;
const MIN_LENGTH = 3;
/** No real word is longer; a longer run (a pasted blob) can only slow the query down. */
const MAX_LENGTH = 64;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The search words of arbitrary text: its distinct lower-cased words of at least three letters, stop words
 * removed, at most 24 of them in order of first appearance.
 */
export function toFtsTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(WORD)) {
    const length = [...word].length;
    if (length < MIN_LENGTH || length > MAX_LENGTH || STOP_WORDS.has(word)) continue;
    terms.add(word);
    if (terms.size === MAX_TERMS) break;
  }
  return [...terms];
}
