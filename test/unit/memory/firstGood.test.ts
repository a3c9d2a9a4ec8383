import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstGood } from '../../../electron/memory/firstGood.js';

describe('firstGood', () => {
  it('finds the boundary of a monotone predicate from any guess, or none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.option(fc.integer({ min: -20, max: 320 })), (size, at, guess) => {
        const boundary = (at % size) + 1; // in (0, size]
        const isGood = (i: number) => i >= boundary;
        expect(firstGood(0, size, isGood, guess ?? undefined)).toBe(boundary);
      }),
    );
  });

  it('checks a good guess with few calls', () => {
    let calls = 0;
    const isGood = (i: number) => (calls++, i >= 700);
    expect(firstGood(-1, 1000, isGood, 700)).toBe(700);
    expect(calls).toBe(2);
    calls = 0;
    expect(firstGood(-1, 1000, isGood, 697)).toBe(700);
    expect(calls).toBeLessThanOrEqual(4);
  });

  it('always answers an index that passes, even for a predicate that is not monotone', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 70 }), (flags, guess) => {
        const good = flags.length;
        const isGood = (i: number) => i === good || (i > 0 && flags[i] === true);
        expect(isGood(firstGood(0, good, isGood, guess))).toBe(true);
      }),
    );
  });
});
