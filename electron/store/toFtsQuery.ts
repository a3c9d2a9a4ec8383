import { toFtsTerms } from './toFtsTerms.js';

/**
 * Turns arbitrary text (or search words from toFtsTerms) into a safe FTS5 query: the words (see toFtsTerms), each
 * double-quoted (so FTS5 syntax in the text, such as NEAR, *, ^, -, column filters or quotes, is inert) and
 * joined with OR. Null when no word remains.
 */
export function toFtsQuery(input: string | readonly string[]): string | null {
  const terms = typeof input === 'string' ? toFtsTerms(input) : input;
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term}"`).join(' OR ');
}
