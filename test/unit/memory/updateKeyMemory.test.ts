import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemoryEntry, MemoryKind } from '../../../electron/contract/index.js';
import { decayEntries } from '../../../electron/memory/surprisal/decayEntries.js';
import { entryTokens, evictEntries } from '../../../electron/memory/surprisal/evictEntries.js';
import { defaultMemorySettings } from '../../../electron/memory/surprisal/MemorySettings.js';
import { updateKeyMemory } from '../../../electron/memory/surprisal/updateKeyMemory.js';
import { scriptedTokens, tokensWithHighlights, words } from './scriptedTokens.js';

const settings = defaultMemorySettings;
const KINDS: MemoryKind[] = ['canon', 'plot', 'chatter', 'user'];

function entry(overrides: Partial<MemoryEntry> & Pick<MemoryEntry, 'id' | 'text'>): MemoryEntry {
  return {
    kind: 'plot',
    score: 1.5,
    base: overrides.score ?? 1.5,
    turnAdded: 0,
    lastSeen: 0,
    pinned: false,
    sourceNode: 1,
    offsets: null,
    ...overrides,
  };
}

const ORDINARY = [
  'The road went on past the mill.',
  'Birds sang in the hedges.',
  'A cart rolled by slowly.',
  'Smoke rose from a chimney.',
  'The river ran under the bridge.',
  'Children played near the well.',
];

describe('updateKeyMemory', () => {
  it('keeps the surprising sentences of a turn as entries, with their z-score, kind, offsets and story order', () => {
    const surprising = 'Ada keeps a glass owl named Quill.';
    const text = [ORDINARY[0], surprising, ...ORDINARY.slice(1)].join(' ');
    const result = updateKeyMemory({
      entries: [],
      turn: 3,
      texts: [{ origin: 'passage', text, tokens: tokensWithHighlights(text, [surprising]) }],
      budget: 100,
      countTokens: words,
      settings,
    });
    expect(result.entries).toHaveLength(1);
    const [kept] = result.entries;
    expect(kept).toMatchObject({ text: surprising, kind: 'canon', turnAdded: 3, lastSeen: 3, pinned: false, sourceNode: null });
    expect(kept?.score).toBeGreaterThanOrEqual(1);
    expect(kept?.base).toBe(kept?.score);
    expect(text.slice(kept?.offsets?.start, kept?.offsets?.end)).toBe(surprising);
    expect(result.ownIds).toEqual([kept?.id]);
    expect(result.added).toBe(1);
  });

  it('takes the reader\'s own words as `user` entries, normalised with the passage of the same turn', () => {
    const action = 'I pour the purple ink into the well.';
    const passage = ORDINARY.join(' ');
    const result = updateKeyMemory({
      entries: [],
      turn: 2,
      texts: [
        { origin: 'instruction', text: action, tokens: scriptedTokens(action, () => 9) },
        { origin: 'passage', text: passage, tokens: scriptedTokens(passage, (_w, i) => 1 + (i % 2) * 0.1) },
      ],
      budget: 100,
      countTokens: words,
      settings,
    });
    expect(result.entries).toEqual([expect.objectContaining({ text: action, kind: 'user', offsets: null, id: '2.i0' })]);
  });

  it('decays unpinned entries by their kind, reinforces mentioned ones back to base, and evicts below τ', () => {
    const entries = [
      entry({ id: 'a', text: 'The vault holds seventeen emeralds.', kind: 'canon', score: 1.2 }),
      entry({ id: 'b', text: 'Zib hummed a turnip song.', kind: 'chatter', score: 0.25 }),
      entry({ id: 'c', text: 'The lighthouse beam swept the cliffs.', kind: 'plot', score: 1, base: 2 }),
      entry({ id: 'd', text: 'Tam carved a wooden gull.', kind: 'plot', score: 1, pinned: true }),
    ];
    const text = 'Far away, the lighthouse beam swept over the grey cliffs again.';
    const result = updateKeyMemory({
      entries,
      turn: 5,
      texts: [{ origin: 'passage', text, tokens: scriptedTokens(text, () => 1) }],
      budget: 100,
      countTokens: words,
      settings,
    });
    const byId = new Map(result.entries.map((e) => [e.id, e]));
    expect(byId.get('a')?.score).toBeCloseTo(1.2); // canon: decay 1.0
    expect(byId.has('b')).toBe(false); // chatter: 0.25 · 0.7 < 0.2
    expect(byId.get('c')).toMatchObject({ score: 2, lastSeen: 5 }); // mentioned: back to base
    expect(byId.get('d')?.score).toBe(1); // pinned: no decay
    expect(result).toMatchObject({ reinforced: 1, evicted: 1, added: 0 });
  });

  it('merges a span that repeats an entry into it instead of adding it twice', () => {
    const old = entry({ id: '1.p0', text: 'Ada keeps a glass owl named Quill.', score: 0.5, base: 1.2, turnAdded: 1 });
    const repeat = 'Ada keeps the glass owl named Quill.';
    const text = [repeat, ...ORDINARY].join(' ');
    const result = updateKeyMemory({
      entries: [old],
      turn: 4,
      texts: [{ origin: 'passage', text, tokens: tokensWithHighlights(text, [repeat]) }],
      budget: 100,
      countTokens: words,
      settings,
    });
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]).toMatchObject({ id: '1.p0', text: old.text, lastSeen: 4 });
    expect(result.entries[0]?.base).toBeGreaterThan(1.2);
    expect(result).toMatchObject({ merged: 1, added: 0 });
  });

  it('evicts the lowest scores first to fit the budget, never a pinned entry', () => {
    const entries = [
      entry({ id: 'low', text: 'one two three', score: 0.5, kind: 'canon' }),
      entry({ id: 'mid', text: 'four five six', score: 1, kind: 'canon' }),
      entry({ id: 'high', text: 'seven eight nine', score: 3, kind: 'canon' }),
      entry({ id: 'pinned', text: 'ten eleven twelve', score: 0.3, kind: 'canon', pinned: true }),
    ];
    const result = updateKeyMemory({ entries, turn: 1, texts: [], budget: 10, countTokens: words, settings });
    expect(result.entries.map((e) => e.id).sort()).toEqual(['high', 'pinned']);
  });

  it('handles empty text and text without content tokens', () => {
    for (const text of ['', '   ', '... !!! ---', '🐉🐉🐉']) {
      const result = updateKeyMemory({
        entries: [],
        turn: 1,
        texts: [{ origin: 'passage', text, tokens: scriptedTokens(text, () => 5) }],
        budget: 100,
        countTokens: words,
        settings,
      });
      expect(result.entries).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const WORDS = ['owl', 'glass', 'brass', 'harbour', 'storm', 'lamp', 'keeper', 'seal', 'rope', 'bell', 'moss', 'Ada', 'Tam'];
const textArb = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((w) => `${w.join(' ')}.`);
const entriesArb = fc
  .array(
    fc.record({
      text: textArb,
      kind: fc.constantFrom(...KINDS),
      score: fc.double({ min: 0, max: 5, noNaN: true }),
      pinned: fc.boolean(),
      turnAdded: fc.nat({ max: 20 }),
    }),
    { maxLength: 12 },
  )
  .map((list) => list.map((e, i) => entry({ ...e, id: `e${i}`, base: e.score, lastSeen: e.turnAdded })));
const turnArb = fc
  .array(fc.tuple(textArb, fc.double({ min: 0, max: 10, noNaN: true })), { maxLength: 8 })
  .map((sentences) => {
    const text = sentences.map(([t]) => t).join(' ');
    let i = 0;
    const tokens = scriptedTokens(text, (word) => {
      const sentence = sentences[Math.min(i, sentences.length - 1)];
      if (word.endsWith('.')) i++;
      return sentence?.[1] ?? 0;
    });
    return { origin: 'passage' as const, text, tokens };
  });
const cost = (entries: readonly MemoryEntry[]) => entries.reduce((sum, e) => sum + entryTokens(e, words), 0);

describe('surprisal memory properties', () => {
  it('decay is monotone: scores never rise, fall further with every turn, pinned ones never move', () => {
    fc.assert(
      fc.property(entriesArb, fc.nat({ max: 30 }), (entries, turns) => {
        let current = entries;
        for (let t = 0; t < turns; t++) {
          const next = decayEntries(current, settings.decay);
          next.forEach((e, i) => {
            const before = current[i] as MemoryEntry;
            expect(e.score).toBeLessThanOrEqual(before.score);
            if (e.pinned) expect(e.score).toBe(before.score);
          });
          current = next;
        }
      }),
    );
  });

  it('a pinned entry is never evicted, whatever the turn brings and however small the budget', () => {
    fc.assert(
      fc.property(entriesArb, turnArb, fc.nat({ max: 60 }), (entries, text, budget) => {
        const result = updateKeyMemory({ entries, turn: 21, texts: [text], budget, countTokens: words, settings });
        const ids = new Set(result.entries.map((e) => e.id));
        for (const e of entries.filter((x) => x.pinned)) expect(ids.has(e.id)).toBe(true);
      }),
    );
  });

  it('the budget is never exceeded (unless pinned entries alone exceed it: then only they remain)', () => {
    fc.assert(
      fc.property(entriesArb, turnArb, fc.nat({ max: 60 }), (entries, text, budget) => {
        const result = updateKeyMemory({ entries, turn: 21, texts: [text], budget, countTokens: words, settings });
        const pinned = result.entries.filter((e) => e.pinned);
        if (cost(pinned) <= budget) expect(cost(result.entries)).toBeLessThanOrEqual(budget);
        else expect(result.entries.every((e) => e.pinned)).toBe(true);
        expect(result.entries.every((e) => e.pinned || e.score >= settings.threshold)).toBe(true);
      }),
    );
  });

  it('eviction follows score: nothing evicted scores higher than an unpinned entry kept', () => {
    fc.assert(
      fc.property(entriesArb, fc.nat({ max: 60 }), (entries, budget) => {
        const { kept, evicted } = evictEntries(entries, settings.threshold, budget, words);
        const keptScores = kept.filter((e) => !e.pinned).map((e) => e.score);
        for (const e of evicted) {
          expect(e.pinned).toBe(false);
          for (const score of keptScores) expect(e.score).toBeLessThanOrEqual(score);
        }
        expect(kept.length + evicted.length).toBe(entries.length);
      }),
    );
  });
});
