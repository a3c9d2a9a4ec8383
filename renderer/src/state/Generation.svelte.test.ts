import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend/Backend.js';
import { Generation } from './Generation.svelte.js';
import type { Schedule } from './TextBatcher.js';

/** Hands each token on at once, as the batching did not exist: for tests of what happens to the text. */
const atOnce: Schedule = (flush) => flush();

/** Frames that come only when the test says so. */
function manualFrames() {
  const waiting: (() => void)[] = [];
  const schedule: Schedule = (flush) => void waiting.push(flush);
  return { schedule, frames: () => waiting.length, frame: () => waiting.splice(0).forEach((f) => f()) };
}

describe('Generation', () => {
  it('streams tokens into the draft, tracks the phase, and clears both when the call ends', async () => {
    const generation = new Generation(atOnce);
    const seen: string[] = [];
    let finish!: (value: string) => void;
    const done = generation.run(({ onEvent }) => {
      onEvent?.({ kind: 'phase', phase: 'planning' });
      seen.push(`${generation.phase}`);
      onEvent?.({ kind: 'token', text: 'The sea ' });
      onEvent?.({ kind: 'token', text: 'turned.' });
      seen.push(generation.draft, `${generation.phase}`, `${generation.running}`);
      return new Promise<string>((resolve) => (finish = resolve));
    });
    finish('view');
    expect(await done).toBe('view');
    expect(seen).toEqual(['planning', 'The sea turned.', 'writing', 'true']);
    expect(generation.draft).toBe('');
    expect(generation.running).toBe(false);
    expect(generation.phase).toBeNull();
  });

  it('counts the passages a call works through from its progress, and starts each call without a count', async () => {
    const generation = new Generation(atOnce);
    const node = { id: 2 } as never;
    const seen: unknown[] = [];
    await generation.run(async ({ onEvent }) => {
      onEvent?.({ kind: 'phase', phase: 'remembering' });
      seen.push(generation.passages);
      onEvent?.({ kind: 'progress', passages: 3, words: 40, targetPassages: 12, targetWords: null, secondsLeft: 20, node });
      seen.push(generation.passages);
      // A run toward a number of words has no passage count.
      onEvent?.({ kind: 'progress', passages: 4, words: 50, targetPassages: null, targetWords: 900, secondsLeft: 20, node });
      seen.push(generation.passages);
      onEvent?.({ kind: 'progress', passages: 5, words: 60, targetPassages: 12, targetWords: null, secondsLeft: 20, node });
    });
    expect(seen).toEqual([null, { done: 3, total: 12 }, null]);
    await generation.run(async () => seen.push(generation.passages));
    expect(seen.at(-1)).toBeNull();
  });

  it('discards streamed text on restart', async () => {
    const generation = new Generation(atOnce);
    let during = '';
    await generation.run(async ({ onEvent }) => {
      onEvent?.({ kind: 'token', text: 'A repeated line. A repeated line.' });
      onEvent?.({ kind: 'restart' });
      onEvent?.({ kind: 'token', text: 'Fresh' });
      during = generation.draft;
    });
    expect(during).toBe('Fresh');
  });

  it('announces whole sentences to the live region, not single tokens', async () => {
    const generation = new Generation(atOnce);
    const announced: string[] = [];
    await generation.run(async ({ onEvent }) => {
      for (const token of ['The la', 'mp guttered', '. Below', ', the sea', ' slept. ', 'Then a', ' knock']) {
        onEvent?.({ kind: 'token', text: token });
        if (announced.at(-1) !== generation.announcement) announced.push(generation.announcement);
      }
      onEvent?.({ kind: 'phase', phase: 'remembering' });
      announced.push(generation.announcement);
    });
    expect(announced.filter((a) => a)).toEqual(['The lamp guttered.', 'Below, the sea slept.', 'Then a knock']);
  });

  it('stops: the signal aborts and the run rejects as the call does', async () => {
    const generation = new Generation(atOnce);
    const run = generation.run(
      ({ signal }) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new BackendError('CANCELLED', 'Stopped.')))),
    );
    generation.stop();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(generation.running).toBe(false);
  });

  it('refuses a second run while one is going', async () => {
    const generation = new Generation(atOnce);
    let finish!: () => void;
    const first = generation.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await expect(generation.run(async () => 1)).rejects.toThrow(/Already writing/);
    finish();
    await first;
  });

  it('hands streamed tokens to the draft once per frame, joined; a phase change or the end shows the rest at once', async () => {
    const { schedule, frames, frame } = manualFrames();
    const generation = new Generation(schedule);
    const seen: { draft: string; frames: number }[] = [];
    await generation.run(async ({ onEvent }) => {
      for (const token of ['The', ' sea', ' turned', '.']) onEvent?.({ kind: 'token', text: token });
      seen.push({ draft: generation.draft, frames: frames() });
      frame();
      seen.push({ draft: generation.draft, frames: frames() });
      onEvent?.({ kind: 'token', text: ' Then' });
      onEvent?.({ kind: 'token', text: ' rain' });
      onEvent?.({ kind: 'phase', phase: 'remembering' });
      seen.push({ draft: generation.draft, frames: frames() });
      frame();
      seen.push({ draft: generation.draft, frames: frames() });
    });
    expect(seen).toEqual([
      { draft: '', frames: 1 },
      { draft: 'The sea turned.', frames: 0 },
      { draft: 'The sea turned. Then rain', frames: 1 },
      { draft: 'The sea turned. Then rain', frames: 0 },
    ]);
    expect(generation.announcement).toBe('Then rain');
  });

  it('drops tokens still waiting for a frame when the passage is written again', async () => {
    const { schedule, frame } = manualFrames();
    const generation = new Generation(schedule);
    let during = '';
    await generation.run(async ({ onEvent }) => {
      onEvent?.({ kind: 'token', text: 'A repeated line.' });
      onEvent?.({ kind: 'restart' });
      onEvent?.({ kind: 'token', text: 'Fresh' });
      frame();
      during = generation.draft;
    });
    expect(during).toBe('Fresh');
  });
});
