const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Words as a writer counts them: runs between spaces that contain a letter or digit ("well-known" is one, a lone
 * dash or emoji is none). Scripts written without spaces (Chinese, Japanese, Thai…) are split by the ICU word
 * segmenter instead, so a Chinese passage is not counted as one word per sentence.
 */
export function countWords(text: string): number {
  let count = 0;
  for (const chunk of text.split(/\s+/u)) {
    if (!HAS_WORD_CHARACTER.test(chunk)) continue;
    if (!UNSPACED_SCRIPT.test(chunk)) {
      count += 1;
      continue;
    }
    for (const segment of segmenter.segment(chunk)) if (segment.isWordLike) count += 1;
  }
  return count;
}
