import { describe, expect, it } from 'vitest';
import type { MemoryEntry } from '../../../electron/contract/index.js';
import { cosineSimilarity } from '../../../electron/memory/Embedder.js';
import { defaultMemorySettings } from '../../../electron/memory/surprisal/MemorySettings.js';
import { updateKeyMemory } from '../../../electron/memory/surprisal/updateKeyMemory.js';
import { vectorMentions } from '../../../electron/memory/surprisal/vectorMentions.js';
import { ScriptedEmbedder } from '../../fixtures/ScriptedEmbedder.js';
import { scriptedTokens, words } from './scriptedTokens.js';

const settings = defaultMemorySettings;

function entry(id: string, text: string, overrides: Partial<MemoryEntry> = {}): MemoryEntry {
  return { id, text, kind: 'plot', score: 0.5, base: 1.5, turnAdded: 0, lastSeen: 0, pinned: false, sourceNode: 1, offsets: null, ...overrides };
}

// A sea detail, a treasure detail, and a pinned sea detail; the turn speaks of the sea in other words.
const SEA = entry('1.p0', 'The ships waited in the harbour.');
const GOLD = entry('1.p9', 'Coins lay in the jewel box.');
const PINNED = entry('0.p3', 'Sailors never return.', { pinned: true });
const TURN = 'Mara walked home. A vessel rocked on the tide near the old pier.';

describe('vectorMentions', () => {
  it('finds the entries some sentence of the turn is close to by meaning, without shared words', async () => {
    const embedder = new ScriptedEmbedder();
    const found = await vectorMentions(embedder, [SEA, GOLD, PINNED], [{ text: TURN }], settings.mentionCosine, settings.maxSpanWords);
    expect([...found]).toEqual([SEA.id]);
    // Pinned entries never fade, so they are not embedded at all; the turn is embedded a sentence at a time.
    expect(embedder.embedded).toEqual([SEA.text, GOLD.text, 'Mara walked home.', 'A vessel rocked on the tide near the old pier.']);
  });

  it('compares sentence by sentence: the same words drowned in a whole passage would not reach the threshold', async () => {
    const embedder = new ScriptedEmbedder();
    const [entryVector, whole, sentence] = await embedder.embed([SEA.text, `${TURN} Gold, coins, treasure, riches, a jewel.`, 'A vessel rocked on the tide.']);
    expect(cosineSimilarity(entryVector!, whole!)).toBeLessThan(settings.mentionCosine);
    expect(cosineSimilarity(entryVector!, sentence!)).toBeGreaterThanOrEqual(settings.mentionCosine);
    const found = await vectorMentions(embedder, [SEA], [{ text: `${TURN} Gold, coins, treasure, riches, a jewel.` }], settings.mentionCosine, settings.maxSpanWords);
    expect([...found]).toEqual([SEA.id]);
  });

  it('respects the threshold, and asks nothing of an empty memory or turn', async () => {
    const embedder = new ScriptedEmbedder();
    expect(await vectorMentions(embedder, [SEA], [{ text: TURN }], 1.01, settings.maxSpanWords)).toEqual(new Set());
    expect(await vectorMentions(embedder, [], [{ text: TURN }], 0.8, settings.maxSpanWords)).toEqual(new Set());
    expect(await vectorMentions(embedder, [SEA], [{ text: '  ' }], 0.8, settings.maxSpanWords)).toEqual(new Set());
    expect(embedder.embedded).toEqual([SEA.text, 'Mara walked home.', 'A vessel rocked on the tide near the old pier.']);
  });
});

describe('updateKeyMemory with vector mentions', () => {
  const turn = (mentioned?: Set<string>) =>
    updateKeyMemory({
      entries: [SEA, GOLD],
      turn: 2,
      texts: [{ origin: 'passage', text: TURN, tokens: scriptedTokens(TURN, () => 1) }],
      budget: 100,
      countTokens: words,
      settings,
      ...(mentioned ? { mentioned } : {}),
    });

  it('brings an entry mentioned by meaning back to its base, like a shared name would', () => {
    const plain = turn();
    const withVectors = turn(new Set([SEA.id]));
    const sea = (r: ReturnType<typeof turn>) => r.entries.find((e) => e.id === SEA.id);
    expect(plain.reinforced).toBe(0);
    expect(sea(plain)?.score).toBeCloseTo(0.5 * settings.decay.plot, 9);
    expect(withVectors.reinforced).toBe(1);
    expect(sea(withVectors)).toMatchObject({ score: SEA.base, lastSeen: 2 });
    expect(withVectors.entries.find((e) => e.id === GOLD.id)?.lastSeen).toBe(0);
  });
});
