import type { NodeStats } from '../../../electron/contract/index.js';
import type { NewNodeRecord } from '../../../electron/store/NewNodeRecord.js';

export const ZERO_STATS: NodeStats = {
  promptTokens: 0,
  evaluatedTokens: 0,
  generatedTokens: 0,
  milliseconds: 0,
  retries: 0,
  fallback: false,
  regenerated: false,
};

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
