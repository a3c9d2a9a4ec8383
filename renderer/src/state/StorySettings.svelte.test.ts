import { describe, expect, it } from 'vitest';
import type { EngineSettingsPatch } from '../../../electron/contract/index.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { DEFAULT_SETTINGS } from '../testing/fixtures.js';
import { serveStorySettings } from '../testing/storySettings.js';
import { StorySettings } from './StorySettings.svelte.js';

function setup(own: EngineSettingsPatch = {}) {
  const backend = serveStorySettings(new FakeBackend(), own);
  return { backend, state: new StorySettings(backend, 1) };
}

describe('StorySettings', () => {
  it('loads the story’s own values over the app’s', async () => {
    const { backend, state } = setup({ temperature: 1.2 });
    expect(state.settings).toBeNull();
    expect(state.ownsAny).toBe(false);
    await state.load();
    expect(backend.callsOf('stories.settings')).toEqual([{ storyId: 1 }]);
    expect(state.settings).toEqual({ ...DEFAULT_SETTINGS, temperature: 1.2 });
    expect(state.app?.temperature).toBe(0.8);
    expect(state.owns('temperature')).toBe(true);
    expect(state.owns('passageTokens')).toBe(false);
    expect(state.ownsAny).toBe(true);
  });

  it('a change sets only that key, keeping the story’s other values', async () => {
    const { backend, state } = setup({ temperature: 1.2 });
    await state.load();
    expect(await state.change('passageTokens', '120')).toBe(true);
    expect(backend.callsOf('stories.setSettings')).toEqual([{ storyId: 1, own: { temperature: 1.2, passageTokens: 120 } }]);
    expect(state.settings?.passageTokens).toBe(120);
    expect(state.owns('passageTokens')).toBe(true);
    expect(state.savedKey).toBe('passageTokens');
  });

  it('changes made in quick succession each build on the one before', async () => {
    const { backend, state } = setup();
    await state.load();
    const done = await Promise.all([state.change('passageTokens', '120'), state.change('topK', '20')]);
    expect(done).toEqual([true, true]);
    expect(backend.callsOf('stories.setSettings').at(-1)).toEqual({ storyId: 1, own: { passageTokens: 120, topK: 20 } });
    expect(state.own).toEqual({ passageTokens: 120, topK: 20 });
    expect(state.saving).toBe(false);
  });

  it('“use the app’s” drops one key; for all sends {}', async () => {
    const { backend, state } = setup({ temperature: 1.2, topK: 10 });
    await state.load();
    expect(await state.followApp('temperature')).toBe(true);
    expect(backend.callsOf('stories.setSettings')).toEqual([{ storyId: 1, own: { topK: 10 } }]);
    expect(state.settings?.temperature).toBe(0.8);
    expect(state.owns('temperature')).toBe(false);
    expect(await state.followAppForAll()).toBe(true);
    expect(backend.callsOf('stories.setSettings').at(-1)).toEqual({ storyId: 1, own: {} });
    expect(state.settings).toEqual(DEFAULT_SETTINGS);
    expect(state.ownsAny).toBe(false);
  });

  it('checks values locally, shows the engine’s refusal beside the field and a lost connection at the top', async () => {
    const { backend, state } = setup();
    await state.load();
    expect(await state.change('temperature', '3')).toBe(false);
    expect(state.fieldError('temperature')).toBe('Enter a number from 0 to 2.');
    expect(backend.callsOf('stories.setSettings')).toEqual([]);

    backend.fail('stories.setSettings', 'INVALID_INPUT', 'topK must be between 0 and 500.');
    expect(await state.change('topK', '50')).toBe(false);
    expect(state.fieldError('topK')).toContain('topK must be between 0 and 500.');
    expect(state.error).toBeNull();
    expect(state.owns('topK')).toBe(false);

    backend.fail('stories.setSettings', 'DISCONNECTED');
    expect(await state.followAppForAll()).toBe(false);
    expect(state.error).toBe('Lost the connection to the engine.');
    expect(state.fieldError('topK')).not.toBeNull();
  });

  it('says why the settings could not be read', async () => {
    const { backend, state } = setup();
    backend.fail('stories.settings', 'STORY_NOT_FOUND');
    await state.load();
    expect(state.settings).toBeNull();
    expect(state.error).toContain('That story does not exist.');
  });
});
