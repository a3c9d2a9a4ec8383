import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import { chain, view } from '../../testing/fixtures.js';
import type { FakeBackend } from '../../testing/FakeBackend.js';
import { storyBackend } from '../../testing/storyBackend.js';

const TEXT = '# The Keeper\n\nThe lamp went out.\n\nShe climbed the stairs.\n\nThe sea was loud.';

/** An engine that reads three passages: two, then waits for `release` (or a stop) before the last. */
function reader(): { backend: FakeBackend; release: () => void } {
  let release!: () => void;
  const backend = storyBackend(chain(3))
    .answersStop('stories.fromText')
    .on('stories.fromText', async (_params, { emit, signal }) => {
      emit({ kind: 'phase', phase: 'remembering' });
      emit({ kind: 'progress', passages: 2, words: 9, targetPassages: 12, targetWords: null, secondsLeft: 40, node: chain(2)[1]! });
      await new Promise<void>((resolve) => {
        release = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      return view(chain(3));
    });
  return { backend, release: () => release() };
}

async function openForm(backend: FakeBackend) {
  render(App, { props: { backend } });
  await fireEvent.click(await screen.findByText('Or continue your own text'));
  return (await screen.findByLabelText('Your text')) as HTMLTextAreaElement;
}

describe('Continue your own text', () => {
  beforeEach(() => {
    window.location.hash = '';
  });
  afterEach(() => cleanup());

  it('loads a file, reads it with progress, and lands on the story in Write', async () => {
    const { backend, release } = reader();
    const text = await openForm(backend);
    const file = new File([TEXT], 'keeper.md', { type: 'text/markdown' });
    const input = screen.getByLabelText('Load a .txt or .md file…');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    await waitFor(() => expect(text.value).toBe(TEXT));
    // The new-story form has a Title too.
    const form = within(screen.getByRole('form', { name: 'Continue your own text' }));
    await fireEvent.input(form.getByLabelText('Title'), { target: { value: '  Mine ' } });
    // The passage length also decides where the text is cut: it becomes the story's own.
    await fireEvent.click(form.getByRole('radio', { name: /^Short/u }));
    await fireEvent.click(screen.getByRole('button', { name: 'Continue this text' }));

    expect(await screen.findByText('Reading your text: passage 3 of 12 · about 40 s left')).toBeTruthy();
    expect(screen.getByRole('meter', { name: 'Reading your text' }).getAttribute('aria-valuetext')).toBe('2 of 12 passages read');
    // Spoken at most every few seconds: the first line through may still be the one before the progress.
    expect(form.getByRole('status').textContent).toMatch(/^Reading your text/u);
    expect(backend.callsOf('stories.fromText')).toEqual([{ text: TEXT, title: 'Mine', settings: { passageTokens: 160 } }]);
    // The new-story form waits; it does not show the reading as a streamed passage.
    expect(screen.queryByTestId('streaming')).toBeNull();
    expect((screen.getByRole('button', { name: 'Begin' }) as HTMLButtonElement).disabled).toBe(true);

    release();
    await waitFor(() => expect(window.location.hash).toBe('#/story/1/write'));
    expect(await screen.findAllByTestId('manuscript-passage')).toHaveLength(3);
  });

  it('stopping opens the story with what was read', async () => {
    const { backend } = reader();
    await fireEvent.input(await openForm(backend), { target: { value: TEXT } });
    await fireEvent.click(screen.getByRole('button', { name: 'Continue this text' }));
    await fireEvent.click(await screen.findByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(window.location.hash).toBe('#/story/1/write'));
  });

  it('shows why the engine refused the text, and stays in the library', async () => {
    const backend = storyBackend(chain(1)).fail('stories.fromText', 'INVALID_INPUT', 'The text has no prose to make passages of, only headings.');
    await fireEvent.input(await openForm(backend), { target: { value: '# Only a heading' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Continue this text' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The text has no prose to make passages of, only headings.');
    expect(window.location.hash).toBe('');
    expect(screen.getByRole('button', { name: 'Continue this text' })).toBeTruthy();
  });
});
