/** A manuscript's passages, and the title its first heading gave (if any). */
export interface SplitManuscript {
  title: string | null;
  passages: string[];
}

/**
 * Cuts an author's own text into passages the story engine can hold: paragraphs (blank-line separated) are joined
 * until the next one would take a passage past `maxTokens`; a heading ("# Chapter 2", "Chapter 2") starts a new
 * passage and is not kept as text (the first one becomes the title when there is none yet). A paragraph longer
 * than a passage is cut between sentences. Line breaks inside a paragraph become spaces; nothing else is changed.
 */
export function splitManuscript(text: string, maxTokens: number, countTokens: (text: string) => number): SplitManuscript {
  let title: string | null = null;
  const passages: string[] = [];
  let current: string[] = [];
  let used = 0;
  const close = () => {
    if (current.length > 0) passages.push(current.join('\n\n'));
    current = [];
    used = 0;
  };
  for (const block of text.replace(/\r\n?/gu, '\n').split(/\n\s*\n/u)) {
    const paragraph = block.split('\n').map((line) => line.trim()).filter((line) => line.length > 0).join(' ');
    if (paragraph === '') continue;
    const heading = headingOf(paragraph);
    if (heading !== null) {
      if (title === null && passages.length === 0 && current.length === 0) title = heading;
      close();
      continue;
    }
    for (const piece of fitParagraph(paragraph, maxTokens, countTokens)) {
      const tokens = countTokens(piece);
      if (current.length > 0 && used + tokens > maxTokens) close();
      current.push(piece);
      used += tokens;
    }
  }
  close();
  return { title, passages };
}

/** The heading's words for a Markdown heading or a short "Chapter …"/"Part …" line; null for prose. */
function headingOf(paragraph: string): string | null {
  const markdown = /^#{1,6}\s+(.+)$/u.exec(paragraph);
  if (markdown) return (markdown[1] as string).trim();
  if (paragraph.length <= 80 && /^(chapter|part|book)\b/iu.test(paragraph) && !/[.!?"”]$/u.test(paragraph)) return paragraph;
  return null;
}

/** The sentences of `text`, each with its closing punctuation, quotes and the space after it: they join into `text`. */
export function sentencesOf(text: string): string[] {
  return text.match(/[^.!?…]+(?:[.!?…]+["”’)]*|$)\s*/gu) ?? [text];
}

/** The paragraph whole, or cut between sentences into pieces of at most `maxTokens` (a longer sentence stays whole). */
function fitParagraph(paragraph: string, maxTokens: number, countTokens: (text: string) => number): string[] {
  if (countTokens(paragraph) <= maxTokens) return [paragraph];
  const sentences = sentencesOf(paragraph);
  const pieces: string[] = [];
  let piece = '';
  for (const sentence of sentences) {
    if (piece !== '' && countTokens(piece + sentence) > maxTokens) {
      pieces.push(piece.trim());
      piece = '';
    }
    piece += sentence;
  }
  if (piece.trim() !== '') pieces.push(piece.trim());
  return pieces;
}
