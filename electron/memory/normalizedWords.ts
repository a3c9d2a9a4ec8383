const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const PUNCTUATION = /[\p{P}\p{S}]/gu;

/**
 * Words for comparing texts: NFKC-normalised, lowercased, punctuation removed ("Don’t" and "dont" match). Words
 * come from the ICU word segmenter, so scripts without spaces are split too: Chinese by its dictionary, Japanese
 * kana and kanji often one character per word. That makes n-grams there shorter spans of text than in English,
 * but it compares like with like.
 */
export function normalizedWords(text: string): string[] {
  const words: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (!isWordLike) continue;
    const word = segment.replace(PUNCTUATION, '');
    if (word !== '') words.push(word);
  }
  return words;
}
