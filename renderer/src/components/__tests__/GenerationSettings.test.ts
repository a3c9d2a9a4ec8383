import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../App.svelte';
import { FakeBackend } from '../../testing/FakeBackend.js';
import { DEFAULT_SETTINGS, settingsView } from '../../testing/fixtures.js';

const STATUS = { version: '0.1.0', model: { state: 'ready', path: '/m.gguf', name: 'm.gguf', contextSize: 512 }, dbPath: '/db' } as const;

describe('Settings page: writing and memory', () => {
  afterEach(() => cleanup());

  it('phrases never to write: saved for every story, and kept in the box as the engine holds them', async () => {
    window.location.hash = '#/settings';
    let avoid = ['a testament to'];
    const backend = new FakeBackend()
      .on('engine.status', () => STATUS)
      .on('settings.get', () => settingsView(DEFAULT_SETTINGS, avoid))
      .on('settings.setAvoid', ({ phrases }) => {
        avoid = phrases;
        return settingsView(DEFAULT_SETTINGS, avoid);
      });
    render(App, { props: { backend } });
    const list = (await screen.findByLabelText('Phrases never to write')) as HTMLTextAreaElement;
    await waitFor(() => expect(list.value).toBe('a testament to'));
    await fireEvent.input(list, { target: { value: 'a testament to\n gleaming ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save phrases' }));
    await waitFor(() => expect(backend.callsOf('settings.setAvoid')).toEqual([{ phrases: ['a testament to', 'gleaming'] }]));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(list.value).toBe('a testament to\ngleaming');
  });

  it('shows each setting as a labelled number field; a change is sent, a bad value is refused beside its field', async () => {
    window.location.hash = '#/settings';
    let current = { ...DEFAULT_SETTINGS };
    const backend = new FakeBackend()
      .on('engine.status', () => STATUS)
      .on('settings.get', () => settingsView(current))
      .on('settings.update', (patch) => {
        current = { ...current, ...patch };
        return settingsView(current);
      });
    render(App, { props: { backend } });

    const length = (await screen.findByLabelText('Passage length (tokens)')) as HTMLInputElement;
    expect(length.value).toBe('400');
    expect(length.min).toBe('16');
    expect((screen.getByLabelText('Fading of plot details') as HTMLInputElement).value).toBe('0.9');

    await fireEvent.change(length, { target: { value: '150' } });
    await waitFor(() => expect(backend.callsOf('settings.update')).toEqual([{ passageTokens: 150 }]));
    expect(await screen.findByText('(default 400)')).toBeTruthy();

    const temperature = screen.getByLabelText('Temperature') as HTMLInputElement;
    await fireEvent.change(temperature, { target: { value: '3' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Enter a number from 0 to 2.');
    expect(temperature.getAttribute('aria-invalid')).toBe('true');
    expect(temperature.getAttribute('aria-describedby')).toContain(alert.id);
    expect(backend.callsOf('settings.update')).toHaveLength(1);
  });
});
