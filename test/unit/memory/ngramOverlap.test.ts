import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRepetitive } from '../../../electron/memory/isRepetitive.js';
import { ngramOverlap } from '../../../electron/memory/ngramOverlap.js';
import { normalizedWords } from '../../../electron/memory/normalizedWords.js';

const recent = [
  'The storm broke over Skerry Rock at midnight. Mira climbed the stair with the oil can.',
  'The lighthouse keeper counted the gulls every single morning before the supply boat came.',
];
/** 13 words, 10 four-grams, all of them in recent[1]. */
const copied = 'The lighthouse keeper counted the gulls every single morning before the supply boat';
/** Fresh words that share no four-gram with anything above, even across the joins. */
const fresh = (count: number, from = 0) => Array.from({ length: count }, (_, i) => `fresh${from + i}`).join(' ');

describe('normalizedWords', () => {
  it('lowercases, strips punctuation and splits on Unicode word boundaries', () => {
    expect(normalizedWords('“Don’t!” Mira said — WELL-known, 3.50 coins… Zoë.')).toEqual([
      'dont',
      'mira',
      'said',
      'well',
      'known',
      '350',
      'coins',
      'zoë',
    ]);
  });

  it('splits Chinese into dictionary words rather than one word per run', () => {
    expect(normalizedWords('他走进了房间，看见一只猫。')).toEqual(['他', '走进', '了', '房间', '看见', '一只', '猫']);
  });
});

describe('ngramOverlap', () => {
  it('is 1 for a passage identical to a recent one', () => {
    expect(ngramOverlap(recent[0] ?? '', recent)).toBe(1);
  });

  it('is 0 for unrelated text', () => {
    expect(ngramOverlap('A fox slept in the warm barn while snow fell on the fields outside.', recent)).toBe(0);
  });

  it('is 0 with fewer than n words, or with nothing recent', () => {
    expect(ngramOverlap('The storm broke', recent)).toBe(0);
    expect(ngramOverlap('', recent)).toBe(0);
    expect(ngramOverlap(recent[0] ?? '', [])).toBe(0);
  });

  it('counts a sentence copied into a short passage as repetitive', () => {
    const candidate = `${fresh(6)}. ${copied}. ${fresh(6, 6)}.`;
    // 25 words → 22 four-grams; the 10 inside the copied sentence repeat, the 6 spanning a join do not.
    const expected = 10 / 22;
    expect(ngramOverlap(candidate, recent)).toBeCloseTo(expected, 12);
    expect(isRepetitive(candidate, recent)).toBe(true);
  });

  it('lets the same sentence pass in a long passage', () => {
    const candidate = `${fresh(40)}. ${copied}. ${fresh(40, 40)}.`;
    // 93 words → 90 four-grams, 10 repeated: 0.111 < 0.15.
    const expected = 10 / 90;
    expect(ngramOverlap(candidate, recent)).toBeCloseTo(expected, 12);
    expect(isRepetitive(candidate, recent)).toBe(false);
  });

  it('sees through case and punctuation changes', () => {
    const disguised = 'THE LIGHTHOUSE-KEEPER, counted... the gulls; every single “morning” before the Supply Boat!';
    expect(ngramOverlap(disguised, recent)).toBe(1);
  });

  it('counts repeated n-grams per position in the candidate', () => {
    // 8 words → 5 four-grams: "the storm broke over" twice (in recent[0]), and three that are not.
    expect(ngramOverlap('the storm broke over the storm broke over', recent)).toBeCloseTo(2 / 5, 12);
  });

  it('does not join n-grams across two recent passages', () => {
    expect(ngramOverlap('b c d e', ['a b c', 'd e f'], 2)).toBeCloseTo(2 / 3, 12);
  });

  it('handles CJK text: identical is 1, a copied sentence shows, fresh text is lower', () => {
    const before = '他走进了房间，看见一只猫坐在窗台上。外面的风很大，灯塔的光照着海面。';
    const copy = '外面的风很大，灯塔的光照着海面。';
    expect(ngramOverlap(before, [before])).toBe(1);
    const mixed = ngramOverlap(`她打开了那封信，手一直在发抖。${copy}`, [before]);
    expect(mixed).toBeGreaterThan(0);
    expect(mixed).toBeLessThan(1);
    expect(ngramOverlap('こんにちは、世界。今日はいい天気ですね。', [before])).toBe(0);
  });

  it('rejects an n that is not a positive integer', () => {
    expect(() => ngramOverlap('a b c', [], 0)).toThrow(RangeError);
    expect(() => ngramOverlap('a b c', [], 2.5)).toThrow(RangeError);
  });

  it('stays between 0 and 1, is 1 against itself and only grows with more recent text (property)', () => {
    const word = fc.oneof(fc.constantFrom('sea', 'lamp', 'Mira', 'the', '。', '猫', 'Ünïcode', ',', '!'), fc.string());
    const text = fc.array(word, { maxLength: 30 }).map((parts) => parts.join(' '));
    const n = fc.integer({ min: 1, max: 5 });
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 3 }), text, n, (candidate, others, extra, n) => {
        const overlap = ngramOverlap(candidate, others, n);
        expect(overlap).toBeGreaterThanOrEqual(0);
        expect(overlap).toBeLessThanOrEqual(1);
        expect(ngramOverlap(candidate, [...others, extra], n)).toBeGreaterThanOrEqual(overlap);
        const self = ngramOverlap(candidate, [candidate], n);
        expect(self).toBe(normalizedWords(candidate).length >= n ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isRepetitive', () => {
  it('flags overlap strictly above the threshold', () => {
    // 4 of 10 bigrams repeat: 0.4.
    const candidate = 'a b c d e f g h i j k';
    const others = ['a b c d e'];
    expect(ngramOverlap(candidate, others, 2)).toBeCloseTo(0.4, 12);
    expect(isRepetitive(candidate, others, { n: 2, threshold: 0.4 })).toBe(false);
    expect(isRepetitive(candidate, others, { n: 2, threshold: 0.39 })).toBe(true);
  });

  it('defaults to 4-grams and a 0.15 threshold', () => {
    expect(isRepetitive(recent[1] ?? '', recent)).toBe(true);
    expect(isRepetitive('A fox slept in the warm barn while snow fell.', recent)).toBe(false);
  });
});
