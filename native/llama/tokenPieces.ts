import type { LlamaModel, Token } from 'node-llama-cpp';

/** Tokens decoded before each one, so SentencePiece's dropped leading space falls on a token we discard. */
const LOOKBEHIND = 8;
const REPLACEMENT = /\uFFFD+$/u;

/**
 * The text each token of tokens[from, to) adds, decoded in context. A byte token that ends half-way through a
 * character (emoji and CJK on byte-fallback vocabularies) adds '' and the token completing the character adds all
 * of it, so the pieces join into exactly the decoded text.
 */
export function tokenPieces(model: LlamaModel, tokens: readonly Token[], from: number, to: number): string[] {
  const pieces: string[] = [];
  for (let i = from; i < to; i++) {
    const start = Math.max(0, i - LOOKBEHIND);
    const before = decode(model, tokens.slice(start, i));
    const after = decode(model, tokens.slice(start, i + 1));
    pieces.push(after.startsWith(before) ? after.slice(before.length) : after.slice(commonPrefix(before, after)));
  }
  return pieces;
}

function decode(model: LlamaModel, tokens: Token[]): string {
  return tokens.length === 0 ? '' : model.detokenize(tokens).replace(REPLACEMENT, '');
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Where each piece lies in `text`, as contiguous [start, end) ranges that together cover all of it: the pieces may
 * carry a leading space SentencePiece adds, or a character of what precedes the text when a token straddles the
 * boundary. Whatever cannot be matched is given to the nearest token, so no character is ever lost.
 */
export function alignPieces(pieces: readonly string[], text: string): { start: number; end: number }[] {
  if (pieces.length === 0) return [];
  const joined = pieces.join('');
  const at = joined.indexOf(text);
  const ends: number[] = [];
  if (at !== -1) {
    let offset = -at;
    for (const piece of pieces) {
      offset += piece.length;
      ends.push(Math.min(text.length, Math.max(0, offset)));
    }
  } else {
    // Tokenizers that normalise text: match each piece (or its trimmed form) as close ahead as possible.
    let position = 0;
    for (const piece of pieces) {
      const candidates = [piece, piece.trimStart()].filter((p) => p.length > 0);
      let end = position;
      for (const candidate of candidates) {
        const found = text.indexOf(candidate, position);
        if (found !== -1 && found - position <= 4) {
          end = found + candidate.length;
          break;
        }
      }
      if (end === position) end = Math.min(text.length, position + piece.length);
      ends.push(end);
      position = end;
    }
  }
  ends[ends.length - 1] = text.length;
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  for (const end of ends) {
    const clamped = Math.max(start, end);
    ranges.push({ start, end: clamped });
    start = clamped;
  }
  return ranges;
}
