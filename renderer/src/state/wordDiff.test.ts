import { describe, expect, it } from 'vitest';
import { wordDiff } from './wordDiff.js';

const join = (parts: ReturnType<typeof wordDiff>, kinds: string[]) => parts.filter((p) => kinds.includes(p.kind)).map((p) => p.text).join('');

describe('wordDiff', () => {
  it('marks what the new text dropped and what it wrote, keeping what both share', () => {
    const parts = wordDiff('Mara has the key. The boat is gone.', 'Mara has the letter. The boat is gone. Tobin is ill.');
    expect(parts).toEqual([
      { kind: 'same', text: 'Mara has the ' },
      { kind: 'removed', text: 'key. ' },
      { kind: 'added', text: 'letter. ' },
      { kind: 'same', text: 'The boat is gone. ' },
      { kind: 'added', text: 'Tobin is ill.' },
    ]);
  });

  it('rebuilds both texts: the old from what stayed and went, the new from what stayed and came', () => {
    const before = 'One two three four five.\nSix seven.';
    const after = 'Zero one three five.\nSix seven eight.';
    const parts = wordDiff(before, after);
    expect(join(parts, ['same', 'added']).replace(/\s+/gu, ' ')).toBe(after.replace(/\s+/gu, ' '));
    expect(join(parts, ['same', 'removed']).replace(/\s+/gu, ' ')).toBe(before.replace(/\s+/gu, ' '));
  });

  it('handles empty sides and identical texts', () => {
    expect(wordDiff('', 'New memory.')).toEqual([{ kind: 'added', text: 'New memory.' }]);
    expect(wordDiff('Old memory.', '')).toEqual([{ kind: 'removed', text: 'Old memory.' }]);
    expect(wordDiff('Same.', 'Same.')).toEqual([{ kind: 'same', text: 'Same.' }]);
  });
});
