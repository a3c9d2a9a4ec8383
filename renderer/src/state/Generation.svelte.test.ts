import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend/Backend.js';
import { Generation } from './Generation.svelte.js';

describe('Generation', () => {
  it('streams tokens into the draft, tracks the phase, and clears both when the call ends', async () => {
    const generation = new Generation();
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

  it('discards streamed text on restart', async () => {
    const generation = new Generation();
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
    const generation = new Generation();
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
    const generation = new Generation();
    const run = generation.run(
      ({ signal }) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new BackendError('CANCELLED', 'Stopped.')))),
    );
    generation.stop();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(generation.running).toBe(false);
  });

  it('refuses a second run while one is going', async () => {
    const generation = new Generation();
    let finish!: () => void;
    const first = generation.run(() => new Promise<void>((resolve) => (finish = resolve)));
    await expect(generation.run(async () => 1)).rejects.toThrow(/Already writing/);
    finish();
    await first;
  });
});
