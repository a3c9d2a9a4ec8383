import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactSurprisal, logSumExp, logTail, MAX_SURPRISAL, sortedMapSurprisal, topKSurprisal } from '../../../native/llama/surprisalMath.js';
import { alignPieces } from '../../../native/llama/tokenPieces.js';

/** What llama.cpp returns for top-K with `bias` on `target`: softmax over the K best biased logits, best first. */
function topKMap(logits: number[], target: number, k: number, bias: number): Map<number, number> {
  const biased = logits.map((l, i) => (i === target ? l + bias : l));
  const best = biased.map((l, i) => [i, l] as const).sort((a, b) => b[1] - a[1]).slice(0, k);
  const z = logSumExp(best.map(([, l]) => l));
  return new Map(best.map(([i, l]) => [i, Math.exp(l - z)]));
}

function trueSurprisal(logits: number[], target: number): number {
  return logSumExp(logits) - (logits[target] as number);
}

describe('exactSurprisal', () => {
  it('is −ln p, and the cap for a probability that underflowed', () => {
    expect(exactSurprisal(new Map([[3, 0.25]]), 3)).toBeCloseTo(Math.log(4));
    expect(exactSurprisal(new Map([[3, 0]]), 3)).toBe(MAX_SURPRISAL);
    expect(exactSurprisal(new Map(), 3)).toBe(MAX_SURPRISAL);
  });
});

describe('topKSurprisal', () => {
  it('is exact when the vocabulary fits in K, wherever the target ranks', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 2, maxLength: 40 }), fc.nat(), (logits, t) => {
        const target = t % logits.length;
        const { surprisal, inTopK } = topKSurprisal(topKMap(logits, target, 64, 30), target, 30, logits.length);
        expect(inTopK).toBe(true);
        expect(surprisal).toBeCloseTo(trueSurprisal(logits, target), 4);
      }),
    );
  });

  it('estimates the tail of a Zipf-like distribution closely, and of a flat one within its bound', () => {
    const V = 32_000;
    const zipf = Array.from({ length: V }, (_, r) => -1.1 * Math.log(r + 1));
    for (const target of [0, 5, 40, 63]) {
      const { surprisal } = topKSurprisal(topKMap(zipf, target, 64, 30), target, 30, V);
      expect(Math.abs(surprisal - trueSurprisal(zipf, target))).toBeLessThan(0.1);
    }
    const flat = Array.from({ length: V }, (_, i) => 0.01 * Math.sin(i));
    const { surprisal } = topKSurprisal(topKMap(flat, 123, 64, 30), 123, 30, V);
    expect(surprisal).toBeGreaterThanOrEqual(trueSurprisal(flat, 123) - 0.001);
    expect(surprisal - trueSurprisal(flat, 123)).toBeLessThan(0.05);
  });

  it('brings a token far down the list into the map with the bias, and caps one still outside', () => {
    const V = 1000;
    const zipf = Array.from({ length: V }, (_, r) => -1.5 * Math.log(r + 1));
    const deep = topKSurprisal(topKMap(zipf, 900, 64, 30), 900, 30, V);
    expect(deep.inTopK).toBe(true);
    expect(Math.abs(deep.surprisal - trueSurprisal(zipf, 900))).toBeLessThan(0.2);
    // Without enough bias the token stays out: it scores the K-th candidate's surprisal plus the bias.
    const out = topKSurprisal(topKMap(zipf, 900, 64, 0), 900, 0, V);
    expect(out.inTopK).toBe(false);
    expect(out.surprisal).toBeLessThanOrEqual(trueSurprisal(zipf, 900));
    expect(out.surprisal).toBeGreaterThanOrEqual(trueSurprisal(zipf, 63) - 0.2);
  });

  it('handles an empty map and an empty tail', () => {
    expect(topKSurprisal(new Map(), 1, 30, 100)).toEqual({ surprisal: MAX_SURPRISAL, inTopK: false });
    expect(logTail([-1, -2], 0)).toBe(-Infinity);
  });
});

describe('sortedMapSurprisal', () => {
  it('equals topKSurprisal on the unbiased map a generation reads, for every entry and tail shape', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 70, maxLength: 200 }),
        fc.nat(),
        fc.constantFrom(64, 300, 32_000),
        (logits, t, extra) => {
          const V = logits.length + extra;
          const map = topKMap(logits, 0, 64, 0);
          const logs = Float64Array.from([...map.values()].map(Math.log));
          const index = t % map.size;
          const token = [...map.keys()][index] as number;
          expect(sortedMapSurprisal(logs, map.size, index, V)).toBeCloseTo(topKSurprisal(map, token, 0, V).surprisal, 9);
        },
      ),
    );
  });

  it('reads the tail without the scored entry, as logTail of the others would', () => {
    const logs = [-1, -1.5, -2, -2.2, -3, -3.1, -4, -5];
    const others = logs.filter((_, i) => i !== 2);
    expect(logTail(logs, 100, logs.length, 2)).toBe(logTail(others, 100));
  });
});

describe('alignPieces', () => {
  it('lays token texts over the text exactly, whatever SentencePiece adds or the boundary shares', () => {
    const cases: [string[], string][] = [
      [[' Once', ' upon'], 'Once upon'],
      [['Once', ' upon'], 'Once upon'],
      [['\nThe', ' cat'], 'The cat'],
      [['', '', '🐉', '.'], '🐉.'],
      [['ab', 'c', '\n'], 'abc'],
      [['x', 'y'], 'completely different'],
    ];
    for (const [pieces, text] of cases) {
      const ranges = alignPieces(pieces, text);
      expect(ranges).toHaveLength(pieces.length);
      expect(ranges.map((r) => text.slice(r.start, r.end)).join('')).toBe(text);
      ranges.forEach((r, i) => i > 0 && expect(r.start).toBe(ranges[i - 1]?.end));
    }
    expect(alignPieces([' Once', ' upon'], 'Once upon').map((r) => [r.start, r.end])).toEqual([
      [0, 4],
      [4, 9],
    ]);
    expect(alignPieces([], 'text')).toEqual([]);
  });
});
