import { describe, expect, it } from 'vitest';
import { wholeCharacters } from './wholeCharacters.js';

const t = (text: string, surprisal: number) => ({ text, surprisal });

describe('wholeCharacters', () => {
  it('joins the byte tokens of a split character to the token completing it, adding their surprisal', () => {
    const tokens = [t('A', 1), t('', 2), t('', 0.5), t('🐉', 0.25), t(' and', 3)];
    expect(wholeCharacters(tokens)).toEqual([t('A', 1), t('🐉', 2.75), t(' and', 3)]);
  });

  it('leaves tokens that all carry text as they are, and keeps a dangling run at the end', () => {
    const whole = [t('The', 1), t(' lamp', 2)];
    expect(wholeCharacters(whole)).toEqual(whole);
    expect(wholeCharacters([t('x', 1), t('', 4)])).toEqual([t('x', 1), t('', 4)]);
    expect(wholeCharacters([])).toEqual([]);
  });

  it('keeps the text of the passage exactly', () => {
    const tokens = [t('', 1), t('你', 1), t('', 1), t('', 1), t('好', 1), t('!', 1)];
    expect(wholeCharacters(tokens).map((x) => x.text).join('')).toBe(tokens.map((x) => x.text).join(''));
    expect(wholeCharacters(tokens).every((x) => x.text !== '')).toBe(true);
  });
});
