const SENTENCE_END = /[.!?…]["'”’)\]]*(?=\s|$)/gu;

/**
 * A passage cut off by the token limit ends mid-sentence; keep it up to its last full sentence. Text with no
 * sentence end at all (or only a short stub before one) is kept whole rather than thrown away.
 */
export function trimToSentence(text: string): string {
  let end = -1;
  for (const match of text.matchAll(SENTENCE_END)) end = match.index + match[0].length;
  if (end < text.length * 0.5) return text.trimEnd();
  return text.slice(0, end).trimEnd();
}
