/** A sentence or clause of a text, by character offsets. */
export interface TextSpan {
  start: number;
  end: number;
  text: string;
}

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const WORD = /[\p{L}\p{N}]+/gu;
// Where a long sentence may be split: after a semicolon, colon, dash or comma followed by a space.
const CLAUSE_BREAK = /(?<=[;:—–,])\s+/gu;
/** A clause shorter than this joins its neighbour: it would not read as a memory on its own. */
const MIN_CLAUSE_WORDS = 4;

export function countSpanWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/**
 * Sentences (Unicode sentence boundaries, so 。 and line breaks end them too), long ones split into clauses of at
 * most `maxWords` words where punctuation allows. Never single tokens: a kept span must read as a detail.
 */
export function segmentSpans(text: string, maxWords: number): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const { segment, index } of sentences.segment(text)) {
    const lead = segment.length - segment.trimStart().length;
    const body = segment.trim();
    if (body.length === 0) continue;
    const start = index + lead;
    // After "?" or "!" a lower-case start continues the sentence ("Who is there?" she asked.).
    const previous = spans.at(-1);
    if (previous && /^[^\p{L}]*\p{Ll}/u.test(body) && !text.slice(previous.end, start).includes('\n')) {
      spans.pop();
      spans.push(...split(text.slice(previous.start, start + body.length), previous.start, maxWords));
      continue;
    }
    spans.push(...split(body, start, maxWords));
  }
  return spans;
}

/** A sentence as one span, or as clauses when it is longer than maxWords. */
function split(body: string, start: number, maxWords: number): TextSpan[] {
  if (countSpanWords(body) <= maxWords) return [{ start, end: start + body.length, text: body }];
  return clauses(body, start, maxWords);
}

function clauses(sentence: string, offset: number, maxWords: number): TextSpan[] {
  const cuts = [0, ...[...sentence.matchAll(CLAUSE_BREAK)].map((m) => (m.index ?? 0) + m[0].length), sentence.length];
  const spans: TextSpan[] = [];
  let from = 0;
  for (let i = 1; i < cuts.length; i++) {
    const to = cuts[i] as number;
    const next = cuts[i + 1];
    const words = countSpanWords(sentence.slice(from, to));
    const withNext = next === undefined ? Infinity : countSpanWords(sentence.slice(from, next));
    // Close the clause when it is long enough and the next piece would make it too long, or at the end.
    if (next === undefined || (words >= MIN_CLAUSE_WORDS && withNext > maxWords)) {
      const piece = sentence.slice(from, to);
      const body = piece.trim();
      const lead = piece.length - piece.trimStart().length;
      if (body.length > 0) spans.push({ start: offset + from + lead, end: offset + from + lead + body.length, text: body });
      from = to;
    }
  }
  return spans;
}
