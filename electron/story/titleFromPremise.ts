const MAX_TITLE_WORDS = 6;
/** Words a title should not end on. */
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
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}
