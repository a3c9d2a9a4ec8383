import type { MemoryKind } from '../../contract/index.js';
import { names } from './keyTerms.js';

const QUOTED = /["“”«»「」『』]([^"“”«»「」『』]*)["“”«»「」『』]/gu;
const LETTER = /[\p{L}\p{N}]/gu;
// Verbs that state how things are rather than what happens.
const STATIVE = /\b(?:is|was|are|were|am|has|have|had|named|called|lives?|lived|owns?|owned|belongs?|belonged|means?|meant)\b/iu;
const DEFINING = /\b(?:named|called|made of|belongs? to|lives? in|lived in|is the|was the)\b/iu;

/**
 * A first guess at a span's kind, which only sets its decay (the user can change it): mostly quoted speech is
 * `chatter`; a statement of how things are that names someone, gives a number or defines something is `canon`;
 * everything else is `plot`. Text from the reader's own instruction is `user`, decided by the caller.
 */
export function classifySpan(text: string): MemoryKind {
  const letters = text.match(LETTER)?.length ?? 0;
  let quoted = 0;
  for (const match of text.matchAll(QUOTED)) quoted += match[1]?.match(LETTER)?.length ?? 0;
  if (letters > 0 && quoted / letters >= 0.5) return 'chatter';
  if (STATIVE.test(text) && (names(text).size > 0 || /\p{N}/u.test(text) || DEFINING.test(text))) return 'canon';
  return 'plot';
}
