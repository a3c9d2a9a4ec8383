import { describe, expect, it } from 'vitest';
import { cutPoints } from '../../../electron/memory/cutPoints.js';

/** The text each cut point would keep, with `*` marking sentence starts. */
function tails(items: string[]): string[] {
  return cutPoints(items).map((p) => {
    const kept = [(items[p.item] ?? '').slice(p.offset), ...items.slice(p.item + 1)].join('|');
    return `${p.sentence ? '*' : ''}${kept}`;
  });
}

describe('cutPoints', () => {
  it('lists word starts after the beginning, marking sentence starts', () => {
    expect(tails(['He ran. "Stop!" she said.\nThen rain.'])).toEqual([
      'ran. "Stop!" she said.\nThen rain.',
      '*"Stop!" she said.\nThen rain.',
      '*she said.\nThen rain.', // a quoted sentence end counts: the cheap heuristic errs towards clean cuts
      'said.\nThen rain.',
      '*Then rain.',
      'rain.',
    ]);
  });

  it('does not take a decimal point for a sentence end', () => {
    expect(tails(['It cost 3.50 coins.'])).toEqual(['cost 3.50 coins.', '3.50 coins.', 'coins.']);
  });

  it('starts every later item as a paragraph, at its first non-space character', () => {
    expect(tails(['One two.', '  Three four.'])).toEqual(['two.|  Three four.', '*Three four.', 'four.']);
    expect(cutPoints(['a', 'b'])[0]).toMatchObject({ item: 1, offset: 0, at: 3 });
  });

  it('cuts between characters of unspaced scripts, never before closing punctuation or inside a surrogate pair', () => {
    expect(tails(['猫だ。「𠀀」'])).toEqual(['だ。「𠀀」', '*「𠀀」', '𠀀」']);
  });
});
