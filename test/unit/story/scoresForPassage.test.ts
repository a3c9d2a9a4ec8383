import { describe, expect, it } from 'vitest';
import { scoresForPassage } from '../../../electron/story/scoresForPassage.js';
import type { TextScore } from '../../../electron/story/TextModel.js';

/** A score over `pieces` (joined: the generated text), token i scoring i + 1. */
function score(pieces: string[]): TextScore {
  let start = 0;
  const tokens = pieces.map((text, i) => {
    const token = { text, surprisal: i + 1, start, end: start + text.length };
    start += text.length;
    return token;
  });
  return { tokens, meanSurprisal: null, method: 'top-k', evaluatedTokens: 0, outsideTopK: 0, milliseconds: 2, contextMilliseconds: 0 };
}

describe('scoresForPassage', () => {
  it('moves the scores onto the trimmed passage: leading whitespace dropped, a token carrying some of it kept', () => {
    const pieces = ['\n', ' The', ' fog', ' lifted', '.', '\n\n'];
    const generated = pieces.join('');
    const result = scoresForPassage(generated, score(pieces), generated.trim());
    expect(result?.tokens.map((t) => [t.text, t.surprisal, t.start, t.end])).toEqual([
      ['The', 2, 0, 3],
      [' fog', 3, 3, 7],
      [' lifted', 4, 7, 14],
      ['.', 5, 14, 15],
    ]);
    expect(result?.covered).toBe(15);
    expect(result?.milliseconds).toBe(2);
  });

  it('drops tokens past a sentence cut, and a token straddling it (the caller rescores the rest)', () => {
    const pieces = ['The', ' fog', ' lifted', '. M', 'ara', ' walked'];
    const generated = pieces.join('');
    const result = scoresForPassage(generated, score(pieces), 'The fog lifted.');
    expect(result?.tokens.map((t) => t.text)).toEqual(['The', ' fog', ' lifted']);
    expect(result?.covered).toBe('The fog lifted'.length);
  });

  it('keeps a byte token that adds nothing before the character it starts', () => {
    const pieces = [' ', '', '🙂', ' ok'];
    const generated = pieces.join('');
    const result = scoresForPassage(generated, score(pieces), generated.trim());
    expect(result?.tokens.map((t) => [t.text, t.surprisal])).toEqual([
      ['', 2],
      ['🙂', 3],
      [' ok', 4],
    ]);
    expect(result?.covered).toBe(generated.trim().length);
  });

  it('is null for a passage that is not the generated text trimmed', () => {
    expect(scoresForPassage('The fog lifted.', score(['The fog lifted.']), 'A fog lifted.')).toBeNull();
  });
});
