import { describe, expect, it } from 'vitest';
import type { PromptPreview } from '../../../electron/contract/index.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { MemoryState } from './MemoryState.svelte.js';

const preview = (text: string): PromptPreview => ({
  text,
  tokens: 10,
  budget: 100,
  sections: [{ id: 'memory', title: 'The story so far', tokens: 10, droppedItems: 0, cut: false }],
});

describe('MemoryState', () => {
  it('lists, adds, edits and removes pinned facts, each change bumping the facts revision', async () => {
    const fact = (id: number, text: string) => ({ id, text, from: null, applies: true });
    let facts = [fact(1, 'The sea is cold.')];
    const backend = new FakeBackend()
      .on('facts.list', () => facts)
      .on('facts.add', ({ text }) => (facts = [...facts, fact(2, text)]))
      .on('facts.edit', ({ factId, text }) => (facts = facts.map((f) => (f.id === factId ? { ...f, text } : f))))
      .on('facts.remove', ({ factId }) => (facts = facts.filter((f) => f.id !== factId)));
    const memory = new MemoryState(backend, 1);
    await memory.loadFacts();
    expect(memory.facts).toEqual([fact(1, 'The sea is cold.')]);
    const revision = memory.factsRevision;
    await memory.addFact('Mara fears water.');
    expect(memory.facts.map((f) => f.text)).toEqual(['The sea is cold.', 'Mara fears water.']);
    await memory.editFact(2, 'Mara loves water.');
    expect(memory.facts[1]?.text).toBe('Mara loves water.');
    await memory.editFact(1, '   ');
    expect(memory.facts.map((f) => f.id)).toEqual([2]);
    expect(memory.factsRevision).toBe(revision + 3);
    expect(await memory.addFact('  ')).toBe(false);
  });

  it('shows why a fact could not be saved', async () => {
    const memory = new MemoryState(new FakeBackend().fail('facts.add', 'INVALID_INPUT', 'Too long.'), 1);
    expect(await memory.addFact('x')).toBe(false);
    expect(memory.factsError).toBe('Some input is not valid. Too long.');
  });

  it('loads the preview once per key, and a slow old answer never replaces a newer one', async () => {
    const answers: ((p: PromptPreview) => void)[] = [];
    const backend = new FakeBackend().on('prompt.preview', () => new Promise<PromptPreview>((resolve) => answers.push(resolve)));
    const memory = new MemoryState(backend, 1);
    const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
    const first = memory.refreshPreview('1:0');
    await flush();
    const second = memory.refreshPreview('2:0');
    void memory.refreshPreview('2:0');
    await flush();
    expect(backend.callsOf('prompt.preview')).toHaveLength(2);
    expect(memory.previewLoading).toBe(true);
    answers[1]!(preview('new'));
    await second;
    answers[0]!(preview('old'));
    await first;
    expect(memory.preview?.text).toBe('new');
    expect(memory.previewLoading).toBe(false);
    const forced = memory.refreshPreview('2:0', true);
    await flush();
    expect(backend.callsOf('prompt.preview')).toHaveLength(3);
    answers[2]!(preview('forced'));
    await forced;
    expect(memory.preview?.text).toBe('forced');
  });

  it('reports a preview that cannot be made, and tries again for the same key', async () => {
    const backend = new FakeBackend().fail('prompt.preview', 'NO_MODEL');
    const memory = new MemoryState(backend, 1);
    await memory.refreshPreview('1:0');
    expect(memory.previewError).toMatch(/No model is configured/);
    backend.on('prompt.preview', () => preview('ok'));
    await memory.refreshPreview('1:0');
    expect(memory.preview?.text).toBe('ok');
    expect(memory.previewError).toBeNull();
  });
});
