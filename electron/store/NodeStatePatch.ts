import type { MemoryEntry, NodeStats, Plan, TokenSurprisal } from '../contract/index.js';

/** A partial update of a node's state; absent fields keep their value. */
export interface NodeStatePatch {
  shortMemory?: string;
  plans?: Plan[];
  summary?: string;
  keyMemory?: MemoryEntry[];
  stats?: NodeStats;
  stale?: boolean;
  /** Replaces the passage's token surprisal (the heatmap). */
  tokens?: readonly TokenSurprisal[];
}
