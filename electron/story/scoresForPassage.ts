import type { TextScore } from './TextModel.js';

type Token = TextScore['tokens'][number];

export interface PassageScores {
  /** Scores recorded while writing, moved onto the passage; they cover passage[0, covered). */
  tokens: Token[];
  covered: number;
  /** Of the scoring time, what writing spent on it. */
  milliseconds: number;
}

/**
 * The scores recorded while writing `generated`, laid over `passage`: the generated text trimmed at both ends (and
 * maybe cut back to a sentence end), so a prefix of it after its leading whitespace. A token that carried some of
 * that whitespace keeps its score for the rest (its text starts the passage as written). Tokens past the passage's
 * end are dropped, and so is one straddling it: its score is that of more text than the passage keeps, so the
 * caller rescores passage[covered, end) instead (usually a character or two). Null when `passage` is not such a part.
 */
export function scoresForPassage(generated: string, score: TextScore, passage: string): PassageScores | null {
  const lead = generated.length - generated.trimStart().length;
  if (generated.slice(lead, lead + passage.length) !== passage) return null;
  const end = passage.length;
  const tokens: Token[] = [];
  let covered = 0;
  for (const token of score.tokens) {
    const start = Math.max(0, token.start - lead);
    const stop = token.end - lead;
    // All leading whitespace (an empty piece there is a byte of the passage's first character: kept).
    if (stop < 0 || (stop === 0 && token.end > token.start)) continue;
    if (stop > end || start >= end) break;
    if (start !== covered) break;
    tokens.push({ text: passage.slice(start, stop), surprisal: token.surprisal, start, end: stop });
    covered = stop;
  }
  return { tokens, covered, milliseconds: score.milliseconds };
}
