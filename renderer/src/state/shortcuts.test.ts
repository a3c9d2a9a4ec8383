import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './Router.svelte.js';
import { findShortcut, isTextField, type KeyLike, SHORTCUTS } from './shortcuts.js';

const key = (k: Partial<KeyLike>): KeyLike => ({ key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...k });

describe('keyboard shortcuts', () => {
  it('maps the keys of the issue to their actions', () => {
    const action = (k: Partial<KeyLike>, inField = false) => findShortcut(key(k), inField)?.action ?? null;
    expect(action({ key: 'Enter', ctrlKey: true })).toBe('continue');
    expect(action({ key: 'Enter', metaKey: true })).toBe('continue');
    expect(action({ key: 'r', code: 'KeyR', altKey: true })).toBe('retry');
    expect(action({ key: '®', code: 'KeyR', altKey: true })).toBe('retry');
    expect(action({ key: 'ArrowLeft', altKey: true })).toBe('previousSibling');
    expect(action({ key: 'ArrowRight', altKey: true })).toBe('nextSibling');
    expect(action({ key: '1' })).toBe('choose1');
    expect(action({ key: '3' })).toBe('choose3');
    expect(action({ key: 'Escape' })).toBe('stop');
    expect(action({ key: '?', shiftKey: true })).toBe('help');
    expect(action({ key: 'Enter' })).toBeNull();
    expect(action({ key: '1', ctrlKey: true })).toBeNull();
  });

  it('leaves typing alone: digits, ? and Alt+arrows mean text in a text field', () => {
    const action = (k: Partial<KeyLike>) => findShortcut(key(k), true)?.action ?? null;
    expect(action({ key: '1' })).toBeNull();
    expect(action({ key: '?' })).toBeNull();
    expect(action({ key: 'ArrowLeft', altKey: true })).toBeNull();
    expect(action({ key: 'Enter', ctrlKey: true })).toBe('continue');
    expect(action({ key: 'Escape' })).toBe('stop');
    expect(action({ key: 'F1' })).toBe('help');
  });

  it('tells text fields from other controls', () => {
    const input = (type: string) => Object.assign(document.createElement('input'), { type });
    expect(isTextField(document.createElement('textarea'))).toBe(true);
    expect(isTextField(input('text'))).toBe(true);
    expect(isTextField(input('number'))).toBe(true);
    expect(isTextField(input('radio'))).toBe(false);
    expect(isTextField(document.createElement('button'))).toBe(false);
    expect(isTextField(null)).toBe(false);
  });

  it('lists each action once, with keys and a description for the help overlay', () => {
    expect(new Set(SHORTCUTS.map((s) => s.action)).size).toBe(SHORTCUTS.length);
    for (const s of SHORTCUTS) expect(s.keys && s.description).toBeTruthy();
  });
});

describe('routes', () => {
  it('round-trips every page through the hash', () => {
    for (const route of [
      { page: 'library' },
      { page: 'settings' },
      { page: 'models' },
      { page: 'story', storyId: 12, view: 'write' },
      { page: 'story', storyId: 3, view: 'map' },
    ] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
    expect(parseRoute('#/story/4')).toEqual({ page: 'story', storyId: 4, view: 'play' });
    expect(parseRoute('#/nonsense')).toEqual({ page: 'library' });
  });
});
