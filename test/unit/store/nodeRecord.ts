import type { MemoryEntry, NodeStats } from '../../../electron/contract/index.js';
import type { NewNodeRecord } from '../../../electron/store/NewNodeRecord.js';

export const ZERO_STATS: NodeStats = {
  promptTokens: 0,
  evaluatedTokens: 0,
  generatedTokens: 0,
  milliseconds: 0,
  retries: 0,
  fallback: false,
  regenerated: false,
  scoringMs: 0,
};

/** A surprisal-memory entry with every field, for tests that only care about a few. */
export function memoryEntry(overrides: Partial<MemoryEntry> & Pick<MemoryEntry, 'text'>): MemoryEntry {
  return {
    id: overrides.id ?? `t.${overrides.text.length}`,
    kind: 'plot',
    score: 1,
    base: overrides.score ?? 1,
    turnAdded: 0,
    lastSeen: 0,
    pinned: false,
    sourceNode: null,
    offsets: null,
    ...overrides,
  };
}

/** A node record with empty state, for tests that care about the passage (and whatever they override). */
export function nodeRecord(passage: string, overrides: Partial<NewNodeRecord> = {}): NewNodeRecord {
  return {
    passage,
    summary: '',
    instruction: { kind: 'opening' },
    shortMemory: '',
    plans: [],
    keyMemory: [],
    stats: ZERO_STATS,
    ...overrides,
  };
}
