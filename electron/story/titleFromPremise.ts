const MAX_TITLE_WORDS = 6;
/** Small words: lower case inside a title, and never its last word. */
const DANGLING = new Set(['a', 'an', 'the', 'to', 'of', 'and', 'or', 'in', 'on', 'at', 'for', 'with', 'from', 'by', 'who', 'that']);

/** A provisional title until the model proposes one: the premise's first words, in title case. */
export function titleFromPremise(premise: string): string {
  const words = premise
    .trim()
    .split(/\s+/u)
    .map((w) => w.replace(/[^\p{L}\p{N}'’-]/gu, ''))
    .filter((w) => w.length > 0)
    .slice(0, MAX_TITLE_WORDS);
  while (words.length > 1 && DANGLING.has(words.at(-1)!.toLowerCase())) words.pop();
  if (words.length === 0) return 'Untitled story';
  return words.map((w, i) => (i > 0 && DANGLING.has(w.toLowerCase()) ? w.toLowerCase() : capitalise(w))).join(' ');
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
