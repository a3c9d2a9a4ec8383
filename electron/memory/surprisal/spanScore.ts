import type { ScoredToken } from './ScoredToken.js';
import type { TextSpan } from './segmentSpans.js';

const CONTENT = /[\p{L}\p{N}]/u;

/**
 * The tokens that say something, with their surprisal: tokens with a letter or digit, not the first token of the
 * text nor the first after a line break (both measure a transition, not content). A character split over several
 * byte tokens (which carry '' as text until it completes) counts once, with the sum of their surprisal.
 */
export function contentSurprisal(tokens: readonly ScoredToken[]): { start: number; surprisal: number }[] {
  const out: { start: number; surprisal: number }[] = [];
  let pending = 0;
  let pendingStart = -1;
  let afterBreak = true;
  for (const token of tokens) {
    if (token.text === '') {
      pending += token.surprisal;
      if (pendingStart < 0) pendingStart = token.start;
      continue;
    }
    const surprisal = token.surprisal + pending;
    // Where the token's own text begins (its leading space belongs to the gap before it).
    const start = pendingStart >= 0 ? pendingStart : token.start + (token.text.length - token.text.trimStart().length);
    pending = 0;
    pendingStart = -1;
    const text = token.text;
    const firstContent = text.search(CONTENT);
    if (firstContent === -1) {
      if (text.includes('\n')) afterBreak = true;
      continue;
    }
    if (!afterBreak && !text.slice(0, firstContent).includes('\n')) out.push({ start, surprisal });
    afterBreak = /\n[^\p{L}\p{N}]*$/u.test(text);
  }
  return out;
}

/**
 * A span's raw score: the mean of the top half of its content tokens' surprisal (a name or a strange turn of
 * phrase shows, the function words around it do not drown it). Null when the span has no content token.
 */
export function spanScore(span: TextSpan, content: readonly { start: number; surprisal: number }[]): number | null {
  const values = content.filter((t) => t.start >= span.start && t.start < span.end).map((t) => t.surprisal);
  if (values.length === 0) return null;
  values.sort((a, b) => b - a);
  const top = values.slice(0, Math.ceil(values.length / 2));
  return top.reduce((sum, v) => sum + v, 0) / top.length;
}
