import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../../electron/contract/index.js';
import { Generation } from '../../state/Generation.svelte.js';
import StreamingPassage from '../story/StreamingPassage.svelte';

const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
/** A task of its own, as each WebSocket message is. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The passage of a call that runs until `finish`, with `emit` sending its events. */
function streaming() {
  const generation = new Generation();
  let emit!: (event: CallEvent) => void;
  let finish!: () => void;
  const running = generation.run(({ onEvent }) => {
    emit = (event) => onEvent?.(event);
    return new Promise<void>((resolve) => (finish = resolve));
  });
  render(StreamingPassage, { props: { generation, onStop: () => undefined } });
  return { emit: (event: CallEvent) => emit(event), finish: () => finish(), running };
}

describe('StreamingPassage', () => {
  afterEach(() => cleanup());

  it('changes the page at most once per frame, not once per token', async () => {
    const { emit, finish, running } = streaming();
    const draft = screen.getByTestId('streaming-passage');
    emit({ kind: 'phase', phase: 'writing' });
    emit({ kind: 'token', text: 'The first words.' });
    await frame();
    await frame();
    expect(draft.textContent).toBe('The first words.');

    let frames = 0;
    let counting = true;
    const count = () => {
      frames++;
      if (counting) requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    const changes: MutationRecord[] = [];
    const observer = new MutationObserver((records) => changes.push(...records));
    observer.observe(draft, { childList: true, subtree: true, characterData: true });
    const tokens = Array.from({ length: 200 }, (_, i) => ` word${i}`);
    for (const text of tokens) {
      emit({ kind: 'token', text });
      await nextTask();
    }
    await frame();
    await frame();
    counting = false;
    observer.disconnect();
    expect(draft.textContent).toBe(`The first words.${tokens.join('')}`);
    // One change of the paragraph's text per frame that had tokens (a token at a time would be 200 changes).
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.length).toBeLessThanOrEqual(frames);
    expect(frames).toBeLessThan(tokens.length);
    finish();
    await running;
  });

  it('says how far a recompute has got: passages done of those to read', async () => {
    const { emit, finish, running } = streaming();
    emit({ kind: 'phase', phase: 'remembering' });
    emit({ kind: 'progress', passages: 3, words: 40, targetPassages: 12, targetWords: null, secondsLeft: 20, node: { id: 3 } as never });
    expect((await screen.findByRole('heading')).textContent).toBe('Remembering what happened… · 3 of 12 passages done');
    finish();
    await running;
  });
});
