import { describe, expect, it } from 'vitest';
import { SequencePool } from '../../../native/llama/SequencePool.js';

describe('SequencePool', () => {
  it('gives each session its own sequence while there are enough, and the same one again later', () => {
    const pool = new SequencePool(['a', 'b']);
    expect(pool.acquire('story-1')).toEqual({ sequence: 'a', rebound: true, evicted: null });
    expect(pool.acquire('story-2')).toEqual({ sequence: 'b', rebound: true, evicted: null });
    expect(pool.acquire('story-1')).toEqual({ sequence: 'a', rebound: false, evicted: null });
    expect(pool.acquire('story-2')).toEqual({ sequence: 'b', rebound: false, evicted: null });
  });

  it('evicts the least recently used session when full', () => {
    const pool = new SequencePool(['a', 'b']);
    pool.acquire('1');
    pool.acquire('2');
    pool.acquire('1'); // 2 is now the least recently used
    expect(pool.acquire('3')).toEqual({ sequence: 'b', rebound: true, evicted: '2' });
    expect(pool.peek('2')).toBeUndefined();
    // 2 comes back rebound, taking the sequence of 1 (least recently used now).
    expect(pool.acquire('2')).toEqual({ sequence: 'a', rebound: true, evicted: '1' });
    expect(pool.peek('3')).toBe('b');
  });

  it('one sequence: every session shares it, each switch is a rebind', () => {
    const pool = new SequencePool(['only']);
    expect(pool.acquire('').rebound).toBe(true);
    expect(pool.acquire('7')).toEqual({ sequence: 'only', rebound: true, evicted: '' });
    expect(pool.acquire('7').rebound).toBe(false);
  });

  it('a released session frees its sequence for the next one without evicting anybody', () => {
    const pool = new SequencePool(['a', 'b']);
    pool.acquire('1');
    pool.acquire('2');
    pool.release('1');
    expect(pool.acquire('3')).toEqual({ sequence: 'a', rebound: true, evicted: null });
    expect(pool.peek('2')).toBe('b');
    pool.release('unknown');
    expect(pool.size).toBe(2);
  });

  it('refuses an empty pool', () => {
    expect(() => new SequencePool([])).toThrow(/at least one/);
  });
});
