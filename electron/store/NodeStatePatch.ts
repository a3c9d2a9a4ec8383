import type { MemoryEntry, NodeStats, Plan } from '../contract/index.js';

/** A partial update of a node's state; absent fields keep their value. */
export interface NodeStatePatch {
  shortMemory?: string;
  plans?: Plan[];
  summary?: string;
  keyMemory?: MemoryEntry[];
  stats?: NodeStats;
  stale?: boolean;
}
