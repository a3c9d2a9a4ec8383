/** A place where a text section may start after its beginning was cut away. */
export interface CutPoint {
  /** Index of the item the kept text starts in, and the UTF-16 offset inside it. */
  item: number;
  offset: number;
  /** Position in the items laid end to end, to compare how far apart two points are. */
  at: number;
  /** Starts a sentence, a paragraph or an item (preferred over a bare word start). */
  sentence: boolean;
}

const SPACE = /\s/u;
const SENTENCE_END = /[.!?…。！？‼⁇⁈⁉]/u;
// Quotes and brackets may follow a full stop: in `He said "Go." Then` the sentence ends at the quote.
const CLOSER = /[\p{Pe}\p{Pf}"'»]/u;
// Scripts written without spaces between words: any character boundary there is a word boundary.
const UNSPACED =
  /[\p{sc=Han}\p{sc=Hira}\p{sc=Kana}\p{sc=Thai}\p{sc=Laoo}\p{sc=Khmr}\p{sc=Mymr}\u3000-\u303f\uff00-\uffef]/u;
// Never start kept text on a combining mark, a joiner or trailing punctuation (、。」…).
const NO_START = /[\p{M}\p{Pe}\p{Pf}\p{Po}\p{Pd}\u200d]/u;

/**
 * Every word start after the very beginning, in order, for items laid end to end. Word starts follow whitespace;
 * in scripts without spaces (Chinese, Japanese, Thai…) every character boundary counts, so such text can still be
 * cut finely. Iterates by code point, so a cut never splits a surrogate pair.
 */
export function cutPoints(items: readonly string[]): CutPoint[] {
  const points: CutPoint[] = [];
  let base = 0;
  items.forEach((text, item) => {
    let prev = '';
    let started = false; // seen the item's first non-space character
    let afterSentenceEnd = false; // the last non-space character ended a sentence (closers allowed after it)
    let newlineInGap = false;
    let offset = 0;
    for (const char of text) {
      if (SPACE.test(char)) {
        if (char === '\n') newlineInGap = true;
      } else {
        const at = base + offset;
        if (!started) {
          // An item starts a paragraph; the first item's start is the uncut text, not a cut.
          if (item > 0) points.push({ item, offset, at, sentence: true });
          started = true;
        } else if (SPACE.test(prev)) {
          points.push({ item, offset, at, sentence: afterSentenceEnd || newlineInGap });
        } else if (UNSPACED.test(prev) && !NO_START.test(char)) {
          points.push({ item, offset, at, sentence: afterSentenceEnd });
        }
        if (SENTENCE_END.test(char)) afterSentenceEnd = true;
        else if (!(afterSentenceEnd && CLOSER.test(char))) afterSentenceEnd = false;
        newlineInGap = false;
      }
      prev = char;
      offset += char.length;
    }
    base += text.length + 2; // the blank line between items
  });
  return points;
}
