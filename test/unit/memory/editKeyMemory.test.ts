import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '../../../electron/contract/index.js';
import { carryUserEntries } from '../../../electron/memory/surprisal/carryUserEntries.js';
import { addEntry, editEntry, forgetEntry } from '../../../electron/memory/surprisal/editKeyMemory.js';
import { memoryForPrompt } from '../../../electron/memory/surprisal/memoryForPrompt.js';
import { words } from './scriptedTokens.js';

function entry(overrides: Partial<MemoryEntry> & Pick<MemoryEntry, 'id' | 'text'>): MemoryEntry {
  return { kind: 'plot', score: 1, base: 1, turnAdded: 1, lastSeen: 1, pinned: false, sourceNode: 2, offsets: { start: 0, end: 5 }, ...overrides };
}

const memory = [
  entry({ id: '1.p0', text: 'The owl is made of glass.', kind: 'canon', score: 2 }),
  entry({ id: '2.p10', text: 'A storm broke the pier.', turnAdded: 2, score: 1.2 }),
];

describe('editing the surprisal memory', () => {
  it('pins, unpins, rewrites and re-kinds one entry, leaving the others alone', () => {
    const pinned = editEntry(memory, '2.p10', { pinned: true });
    expect(pinned[1]).toMatchObject({ pinned: true, score: 1.2, offsets: { start: 0, end: 5 } });
    expect(pinned[0]).toBe(memory[0]);
    expect(editEntry(pinned, '2.p10', { pinned: false })[1]?.pinned).toBe(false);

    const rewritten = editEntry(memory, '1.p0', { text: '  The owl is made of smoke.  ', kind: 'plot' });
    // New words no longer quote the passage: the offsets go, the score stays.
    expect(rewritten[0]).toMatchObject({ text: 'The owl is made of smoke.', kind: 'plot', offsets: null, score: 2 });
    expect(() => editEntry(memory, '1.p0', { text: '   ' })).toThrow(/empty/);
    expect(() => editEntry(memory, 'nope', { pinned: true })).toThrow(expect.objectContaining({ code: 'MEMORY_NOT_FOUND' }));
  });

  it('forgets one entry', () => {
    expect(forgetEntry(memory, '1.p0').map((e) => e.id)).toEqual(['2.p10']);
    expect(() => forgetEntry(memory, '1.p0x')).toThrow(expect.objectContaining({ code: 'MEMORY_NOT_FOUND' }));
  });

  it('adds the user\'s own detail with fresh ids, in story order', () => {
    const first = addEntry(memory, { text: 'Tam fears bells.', kind: 'user', pinned: false }, 1, 2);
    expect(first.entry).toMatchObject({ id: '1.u1', score: 2, base: 2, turnAdded: 1, sourceNode: null, offsets: null });
    const second = addEntry(first.entries, { text: 'Ada is left-handed.', kind: 'canon', pinned: true }, 1, 2);
    expect(second.entry.id).toBe('1.u2');
    // Turn 1's passage entry, then what the user added at turn 1, then turn 2.
    expect(second.entries.map((e) => e.id)).toEqual(['1.p0', '1.u1', '1.u2', '2.p10']);
  });
});

describe('memoryForPrompt', () => {
  it('shows pinned entries and then the best scores within the budget, in story order', () => {
    const entries = [
      entry({ id: 'a', text: 'one two three', turnAdded: 1, score: 0.5 }),
      entry({ id: 'b', text: 'four five six', turnAdded: 2, score: 3 }),
      entry({ id: 'c', text: 'seven eight nine', turnAdded: 3, score: 0.3, pinned: true }),
      entry({ id: 'd', text: 'ten eleven twelve', turnAdded: 4, score: 2 }),
    ];
    // Each costs 3 words + 2: a budget of 15 fits three.
    expect(memoryForPrompt(entries, 15, words).map((e) => e.id)).toEqual(['b', 'c', 'd']);
    expect(memoryForPrompt(entries, 0, words).map((e) => e.id)).toEqual(['c']);
  });
});

describe('carryUserEntries', () => {
  it('keeps what the user pinned or added at a node when its memory is recomputed', () => {
    const before = [
      entry({ id: '3.p0', text: 'old span', turnAdded: 3 }),
      entry({ id: '1.p0', text: 'pinned earlier', pinned: true }),
      entry({ id: '3.u1', text: 'my own note', turnAdded: 3, sourceNode: null, offsets: null }),
    ];
    const recomputed = [entry({ id: '1.p0', text: 'pinned earlier' }), entry({ id: '3.p7', text: 'new span', turnAdded: 3 })];
    const after = carryUserEntries(before, recomputed, 3);
    expect(after.map((e) => [e.id, e.pinned])).toEqual([
      ['1.p0', true],
      ['3.p7', false],
      ['3.u1', false],
    ]);
  });
});
