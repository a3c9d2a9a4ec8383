import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledText } from './ThrottledText.svelte.js';

describe('ThrottledText', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets the first text through, then the latest at most once a period, and clears at once', () => {
    const spoken = new ThrottledText(10_000);
    spoken.set('passage 1 of 9');
    expect(spoken.text).toBe('passage 1 of 9');
    spoken.set('passage 2 of 9');
    spoken.set('passage 3 of 9');
    vi.advanceTimersByTime(9_000);
    expect(spoken.text).toBe('passage 1 of 9');
    vi.advanceTimersByTime(1_000);
    expect(spoken.text).toBe('passage 3 of 9');
    spoken.set('passage 4 of 9');
    spoken.set('');
    expect(spoken.text).toBe('');
    vi.advanceTimersByTime(10_000);
    expect(spoken.text).toBe('');
    spoken.set('passage 1 of 2');
    expect(spoken.text).toBe('passage 1 of 2');
  });
});
