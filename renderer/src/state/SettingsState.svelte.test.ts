import { describe, expect, it } from 'vitest';
import { SettingsState } from './SettingsState.svelte.js';

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial));
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

describe('SettingsState', () => {
  it('starts from the defaults and applies them to the root element', () => {
    const root = document.createElement('html');
    const settings = new SettingsState(memoryStorage(), root);
    expect([settings.theme, settings.textSize, settings.proseFont]).toEqual(['system', 'medium', 'serif']);
    expect(root.dataset).toMatchObject({ theme: 'system', textSize: 'medium', proseFont: 'serif' });
  });

  it('remembers a choice across sessions', () => {
    const storage = memoryStorage();
    const root = document.createElement('html');
    new SettingsState(storage, root).set({ theme: 'dark', textSize: 'large' });
    expect(root.dataset.theme).toBe('dark');
    const again = new SettingsState(storage, document.createElement('html'));
    expect([again.theme, again.textSize, again.proseFont]).toEqual(['dark', 'large', 'serif']);
  });

  it('ignores stored values it does not know', () => {
    const storage = memoryStorage({ 'longtale.settings': '{"theme":"neon","textSize":"large","proseFont":7}' });
    const settings = new SettingsState(storage, null);
    expect([settings.theme, settings.textSize, settings.proseFont]).toEqual(['system', 'large', 'serif']);
    expect(new SettingsState(memoryStorage({ 'longtale.settings': 'not json' }), null).theme).toBe('system');
  });
});
