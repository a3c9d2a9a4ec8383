import { describe, expect, it, vi } from 'vitest';
import type { FactSuggestion } from '../../../electron/contract/index.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { FactSuggestions } from './FactSuggestions.svelte.js';

const suggestion = (name: string): FactSuggestion => ({ name, text: `Then ${name} came.`, passages: 2, nodeId: 1, surprisal: 4 });

describe('FactSuggestions', () => {
  it('reads once per key, and a slow answer never overwrites a newer one', async () => {
    const answers: ((items: FactSuggestion[]) => void)[] = [];
    const backend = new FakeBackend().on('facts.suggest', () => new Promise<FactSuggestion[]>((resolve) => answers.push(resolve)));
    const suggestions = new FactSuggestions(backend, 1);
    const first = suggestions.load('1:0');
    void suggestions.load('1:0');
    const second = suggestions.load('2:0');
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    expect(backend.callsOf('facts.suggest')).toHaveLength(2);
    expect(suggestions.loading).toBe(true);
    answers[1]?.([suggestion('Ada')]);
    await second;
    answers[0]?.([suggestion('Old')]);
    await first;
    expect(suggestions.items.map((s) => s.name)).toEqual(['Ada']);
    expect(suggestions.loading).toBe(false);
  });

  it('hides a dismissed name from then on, and reads again after an error', async () => {
    let fail = true;
    const backend = new FakeBackend().on('facts.suggest', () => {
      if (fail) throw Object.assign(new Error('x'), { code: 'DB_ERROR', message: 'The disk is full.' });
      return [suggestion('Ada'), suggestion('Bo')];
    });
    const suggestions = new FactSuggestions(backend, 1);
    await suggestions.load('1:0');
    expect(suggestions.error).toContain('The disk is full.');
    fail = false;
    await suggestions.load('1:0');
    expect(suggestions.error).toBeNull();
    suggestions.dismiss('Ada');
    expect(suggestions.items.map((s) => s.name)).toEqual(['Bo']);
    await suggestions.load('2:0');
    expect(suggestions.items.map((s) => s.name)).toEqual(['Bo']);
  });
});
