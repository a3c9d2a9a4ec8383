import { describe, expect, it } from 'vitest';
import { fuseRankings } from '../../../electron/store/fuseRankings.js';

const rrf = (...ranks: number[]) => ranks.reduce((sum, rank) => sum + 1 / (60 + rank), 0);

describe('fuseRankings', () => {
  it('adds 1 / (60 + rank) over the lists, best first', () => {
    const fused = fuseRankings([
      ['a', 'b', 'c'],
      ['c', 'a'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b']);
    expect(fused[0]?.score).toBeCloseTo(rrf(1, 2), 12);
    expect(fused[1]?.score).toBeCloseTo(rrf(3, 1), 12);
    expect(fused[2]?.score).toBeCloseTo(rrf(2), 12);
  });

  it('ranks agreement between lists above a single first place', () => {
    expect(fuseRankings([['solo', 'both'], ['x', 'both']])[0]?.id).toBe('both');
  });

  it('interleaves disjoint lists by rank, the earlier list first on each tie', () => {
    const fused = fuseRankings([
      [1, 2, 3],
      [10, 20],
    ]);
    expect(fused.map((f) => f.id)).toEqual([1, 10, 2, 20, 3]);
    expect(fused[0]?.score).toBe(fused[1]?.score);
  });

  it('breaks an exact tie by which list holds the better rank, the earlier list first', () => {
    // c and d have the same ranks (1 and 2), so the same score; c has its first place in the first list.
    const tie = fuseRankings([['c', 'd'], ['d', 'c']]);
    expect(tie.map((f) => f.id)).toEqual(['c', 'd']);
    expect(tie[0]?.score).toBe(tie[1]?.score);
  });

  it('returns the other list unchanged when one is empty', () => {
    expect(fuseRankings([[], [5, 3, 9]]).map((f) => f.id)).toEqual([5, 3, 9]);
    expect(fuseRankings([[5, 3, 9], []]).map((f) => f.id)).toEqual([5, 3, 9]);
    expect(fuseRankings([[], []])).toEqual([]);
    expect(fuseRankings([])).toEqual([]);
  });

  it('is stable: the same input always gives the same order, and a lone list keeps its order', () => {
    const ids = Array.from({ length: 50 }, (_, i) => (i * 37) % 101);
    expect(fuseRankings([ids]).map((f) => f.id)).toEqual(ids);
    const lists = [ids, [...ids].reverse()];
    expect(fuseRankings(lists)).toEqual(fuseRankings(lists));
  });

  it('counts an id repeated within one list once, at its first place', () => {
    const fused = fuseRankings([['a', 'b', 'a']]);
    expect(fused).toEqual([
      { id: 'a', score: rrf(1) },
      { id: 'b', score: rrf(2) },
    ]);
  });

  it('takes another k', () => {
    expect(fuseRankings([['a']], 0)[0]?.score).toBe(1);
  });
});
