import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import { chain } from '../../testing/fixtures.js';
import { storyBackend } from '../../testing/storyBackend.js';
import { serveStorySettings } from '../../testing/storySettings.js';

async function openTab(own = {}) {
  window.location.hash = '#/story/1/write';
  const backend = serveStorySettings(storyBackend(chain(2)), own);
  render(App, { props: { backend } });
  await fireEvent.click(await screen.findByRole('tab', { name: 'Settings' }));
  return backend;
}

describe('Story settings tab', () => {
  afterEach(() => cleanup());

  it('marks a value the story sets with the app’s; “Use the app’s” sends own without it', async () => {
    const backend = await openTab({ temperature: 1.2, topK: 10 });
    const temperature = (await screen.findByLabelText('Temperature')) as HTMLInputElement;
    expect(temperature.value).toBe('1.2');
    expect(temperature.id).toBe('story-setting-temperature');
    const hint = document.getElementById(temperature.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toContain("This story · the app's: 0.8");
    // A field the story leaves alone shows the app's value, unmarked.
    expect((screen.getByLabelText('Passage length (tokens)') as HTMLInputElement).value).toBe('400');
    expect(screen.getAllByTestId('story-own')).toHaveLength(2);

    await fireEvent.click(screen.getByRole('button', { name: "Use the app's temperature" }));
    await waitFor(() => expect(backend.callsOf('stories.setSettings')).toEqual([{ storyId: 1, own: { topK: 10 } }]));
    await waitFor(() => expect(temperature.value).toBe('0.8'));
    expect(screen.queryByRole('button', { name: "Use the app's temperature" })).toBeNull();
    expect(document.activeElement).toBe(temperature);
    expect(screen.getAllByTestId('story-own')).toHaveLength(1);
  });

  it('a change sets that key for this story; a bad value is refused beside its field; all can follow the app again', async () => {
    const backend = await openTab();
    const all = await screen.findByRole('button', { name: "Use the app's settings for all" });
    expect(all.getAttribute('aria-disabled')).toBe('true');
    await fireEvent.click(all);
    expect(backend.callsOf('stories.setSettings')).toEqual([]);

    const length = screen.getByLabelText('Passage length (tokens)') as HTMLInputElement;
    await fireEvent.change(length, { target: { value: '150' } });
    await waitFor(() => expect(backend.callsOf('stories.setSettings')).toEqual([{ storyId: 1, own: { passageTokens: 150 } }]));
    expect(await screen.findByText("This story · the app's: 400")).toBeTruthy();
    expect(screen.getByText('Saved.')).toBeTruthy();

    const minP = screen.getByLabelText('Min-p') as HTMLInputElement;
    await fireEvent.change(minP, { target: { value: '2' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Enter a number from 0 to 1.');
    expect(minP.getAttribute('aria-describedby')).toContain(alert.id);

    expect(all.getAttribute('aria-disabled')).toBe('false');
    await fireEvent.click(all);
    await waitFor(() => expect(backend.callsOf('stories.setSettings').at(-1)).toEqual({ storyId: 1, own: {} }));
    await waitFor(() => expect(length.value).toBe('400'));
    expect(screen.queryAllByTestId('story-own')).toHaveLength(0);
  });

  it('the arrow keys reach the Settings tab', async () => {
    window.location.hash = '#/story/1/write';
    render(App, { props: { backend: serveStorySettings(storyBackend(chain(2))) } });
    const memory = await screen.findByRole('tab', { name: 'Memory' });
    await fireEvent.keyDown(memory, { key: 'End' });
    const settings = screen.getByRole('tab', { name: 'Settings' });
    expect(settings.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(settings);
    await fireEvent.keyDown(settings, { key: 'ArrowRight' });
    expect(memory.getAttribute('aria-selected')).toBe('true');
  });

  it('phrases to avoid: one per line, trimmed, saved for this story; the app’s are named; a refusal shows beside the list', async () => {
    window.location.hash = '#/story/1/write';
    const backend = serveStorySettings(storyBackend(chain(2)), {}, ['a testament to']);
    render(App, { props: { backend } });
    await fireEvent.click(await screen.findByRole('tab', { name: 'Settings' }));
    const list = (await screen.findByLabelText('Phrases never to write')) as HTMLTextAreaElement;
    const hint = document.getElementById(list.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toContain("besides the app's: “a testament to”");
    const save = screen.getByRole('button', { name: 'Save phrases' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    await fireEvent.input(list, { target: { value: '  shivers down her spine \n\n a chill ran ' } });
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    await waitFor(() => expect(backend.callsOf('stories.setAvoid')).toEqual([{ storyId: 1, phrases: ['shivers down her spine', 'a chill ran'] }]));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(list.value).toBe('shivers down her spine\na chill ran');
    expect(save.disabled).toBe(true);

    await fireEvent.input(list, { target: { value: 'x'.repeat(201) } });
    expect(screen.queryByText('Saved.')).toBeNull();
    await fireEvent.click(save);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('longer than 200 characters');
    expect(list.getAttribute('aria-describedby')).toContain(alert.id);
    expect(list.getAttribute('aria-invalid')).toBe('true');
  });
});
