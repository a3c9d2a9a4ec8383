import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import { chain, view } from '../../testing/fixtures.js';
import { storyBackend } from '../../testing/storyBackend.js';

describe('New story form', () => {
  afterEach(() => cleanup());

  async function begin(length?: 'Short' | 'Long') {
    window.location.hash = '';
    const backend = storyBackend(chain(1)).on('stories.create', () => view(chain(1)));
    render(App, { props: { backend } });
    await fireEvent.input(await screen.findByLabelText('Premise'), { target: { value: 'A keeper finds a letter.' } });
    if (length) await fireEvent.click(screen.getByRole('radio', { name: new RegExp(`^${length}`, 'u') }));
    await fireEvent.click(screen.getByRole('button', { name: 'Begin' }));
    await waitFor(() => expect(backend.callsOf('stories.create')).toHaveLength(1));
    return backend.callsOf('stories.create')[0];
  }

  it('follows the app’s passage length unless one is chosen; a chosen one becomes the story’s own', async () => {
    expect(await begin()).toEqual({ premise: 'A keeper finds a letter.' });
    cleanup();
    expect(await begin('Short')).toEqual({ premise: 'A keeper finds a letter.', settings: { passageTokens: 160 } });
    cleanup();
    expect(await begin('Long')).toEqual({ premise: 'A keeper finds a letter.', settings: { passageTokens: 640 } });
  });
});
