import { describe, expect, it } from 'vitest';
import { nextFrame, type Schedule, TextBatcher } from './TextBatcher.js';

describe('TextBatcher', () => {
  it('asks for one frame however many pieces arrive before it, and hands them on joined', () => {
    const frames: (() => void)[] = [];
    const schedule: Schedule = (flush) => void frames.push(flush);
    const applied: string[] = [];
    const batcher = new TextBatcher((text) => applied.push(text), schedule);
    for (const piece of ['a', 'b', 'c']) batcher.push(piece);
    expect(frames).toHaveLength(1);
    expect(batcher.pending).toBe('abc');
    frames.shift()?.();
    expect(applied).toEqual(['abc']);
    batcher.push('d');
    expect(frames).toHaveLength(1);
    batcher.flush();
    expect(applied).toEqual(['abc', 'd']);
    // The frame asked for before the flush finds nothing left to hand on.
    frames.shift()?.();
    expect(applied).toEqual(['abc', 'd']);
    batcher.push('e');
    batcher.clear();
    frames.shift()?.();
    expect(applied).toEqual(['abc', 'd']);
  });

  it('uses the page’s animation frames', async () => {
    const applied: string[] = [];
    const batcher = new TextBatcher((text) => applied.push(text), nextFrame);
    batcher.push('x');
    batcher.push('y');
    expect(applied).toEqual([]);
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    expect(applied).toEqual(['xy']);
  });
});
