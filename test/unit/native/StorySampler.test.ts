import { describe, expect, it } from 'vitest';
import { DryPenalty } from '../../../native/llama/DryPenalty.js';
import { seededRandom } from '../../../native/llama/seededRandom.js';
import { StorySampler, type StorySamplerOptions } from '../../../native/llama/StorySampler.js';

const PLAIN: StorySamplerOptions = { temperature: 1, topK: 0, topP: 1, minP: 0, seed: 42 };

function draws(sampler: StorySampler, map: Map<number, number>, n: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const token = sampler.sample(map);
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

describe('seededRandom', () => {
  it('repeats for a seed, differs between seeds, and stays in [0, 1) with a uniform mean', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 20000 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs.slice(0, 5));
    expect(c()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
});

describe('StorySampler', () => {
  const map = new Map([
    [10, 0.5],
    [11, 0.3],
    [12, 0.15],
    [13, 0.05],
  ]);

  it('draws in proportion to the probabilities at temperature 1', () => {
    const n = 20000;
    const counts = draws(new StorySampler(PLAIN), map, n);
    for (const [token, p] of map) expect(Math.abs((counts.get(token) ?? 0) / n - p)).toBeLessThan(0.015);
  });

  it('is reproducible for a seed', () => {
    const run = () => Array.from({ length: 50 }, ((s) => () => s.sample(map))(new StorySampler(PLAIN)));
    expect(run()).toEqual(run());
    const other = new StorySampler({ ...PLAIN, seed: 43 });
    expect(Array.from({ length: 50 }, () => other.sample(map))).not.toEqual(run());
  });

  it('sharpens with a lower temperature (p^(1/T), renormalised) and is greedy at 0', () => {
    const n = 20000;
    const counts = draws(new StorySampler({ ...PLAIN, temperature: 0.5 }), map, n);
    const z = [...map.values()].reduce((s, p) => s + p ** 2, 0);
    for (const [token, p] of map) expect(Math.abs((counts.get(token) ?? 0) / n - p ** 2 / z)).toBeLessThan(0.015);
    expect(draws(new StorySampler({ ...PLAIN, temperature: 0 }), map, 100)).toEqual(new Map([[10, 100]]));
  });

  it('truncates with top-K, top-P and min-P', () => {
    expect([...draws(new StorySampler({ ...PLAIN, topK: 2 }), map, 2000).keys()].sort()).toEqual([10, 11]);
    // 0.5 + 0.3 passes 0.79: the smallest prefix that does.
    expect([...draws(new StorySampler({ ...PLAIN, topP: 0.79 }), map, 2000).keys()].sort()).toEqual([10, 11]);
    expect([...draws(new StorySampler({ ...PLAIN, topP: 0.81 }), map, 2000).keys()].sort()).toEqual([10, 11, 12]);
    // min-P 0.25 of the best (0.5) keeps p ≥ 0.125.
    expect([...draws(new StorySampler({ ...PLAIN, minP: 0.25 }), map, 2000).keys()].sort()).toEqual([10, 11, 12]);
    // Top-P and min-P weigh at temperature 1 even when sampling hotter.
    expect([...draws(new StorySampler({ ...PLAIN, temperature: 3, topP: 0.79 }), map, 2000).keys()].sort()).toEqual([10, 11]);
  });

  it('accepts candidates in any order and an empty map', () => {
    const shuffled = new Map([...map].reverse());
    expect(draws(new StorySampler({ ...PLAIN, temperature: 0 }), shuffled, 10)).toEqual(new Map([[10, 10]]));
    expect(new StorySampler(PLAIN).sample(new Map())).toBe(-1);
  });

  it('applies DRY: a candidate extending a repeat loses the most likely place', () => {
    const dry = { strength: 5, base: 1.75, allowedLength: 2 };
    const sampler = new StorySampler({ ...PLAIN, temperature: 0, dry });
    // History 1 2 3 10 … 1 2 3: 10 would repeat "1 2 3 10" (a match of 3 ≥ 2).
    for (const t of [1, 2, 3, 10, 5, 6, 1, 2, 3]) sampler.accept(t);
    expect(sampler.sample(map)).toBe(11);
    const plain = new StorySampler({ ...PLAIN, temperature: 0 });
    for (const t of [1, 2, 3, 10, 5, 6, 1, 2, 3]) plain.accept(t);
    expect(plain.sample(map)).toBe(10);
  });
});

describe('DryPenalty', () => {
  const ids = Int32Array.from([10, 11, 12]);
  const penalties = (dry: DryPenalty) => {
    const logits = new Float64Array(3);
    dry.apply(ids, logits, 3);
    return [...logits].map((l) => (l === 0 ? 0 : -l));
  };

  it('grows with the length of the repeat: strength · base^(n − allowed)', () => {
    const dry = new DryPenalty({ strength: 0.8, base: 2, allowedLength: 2 }, () => false);
    // "7 8 9 10" earlier; the text ends "7 8 9": 10 extends a 3-token match, 11 follows "9" once only (1 < 2).
    for (const t of [7, 8, 9, 10, 4, 9, 11, 7, 8, 9]) dry.accept(t);
    const [p10, p11, p12] = penalties(dry);
    expect(p10).toBeCloseTo(0.8 * 2 ** (3 - 2));
    expect(p11).toBe(0);
    expect(p12).toBe(0);
  });

  it('lets repeats up to the allowed length pass, and stops matching at a sequence breaker', () => {
    const short = new DryPenalty({ strength: 1, allowedLength: 3 }, () => false);
    for (const t of [8, 9, 10, 4, 8, 9]) short.accept(t);
    expect(penalties(short)[0]).toBe(0);
    const broken = new DryPenalty({ strength: 1, allowedLength: 2 }, (t) => t === 8);
    for (const t of [8, 9, 10, 4, 8, 9]) broken.accept(t);
    // The match "8 9" would count 2, but 8 is a breaker: only "9" (1) may match.
    expect(penalties(broken)[0]).toBe(0);
    const unbroken = new DryPenalty({ strength: 1, allowedLength: 2 }, () => false);
    for (const t of [8, 9, 10, 4, 8, 9]) unbroken.accept(t);
    expect(penalties(unbroken)[0]).toBeCloseTo(1);
  });

  it('penalises nothing with strength 0', () => {
    const off = new DryPenalty({ strength: 0 }, () => false);
    for (const t of [1, 2, 10, 1, 2]) off.accept(t);
    expect(penalties(off)).toEqual([0, 0, 0]);
  });
});
