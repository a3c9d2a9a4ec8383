import type { Instruction, MemoryEntry, NodeStats, Plan } from '../contract/index.js';

/** Everything a new node is written with: its passage and the complete state after it. */
export interface NewNodeRecord {
  passage: string;
  /** One line for long-term memory (indexed for retrieval with the passage). */
  summary: string;
  instruction: Instruction;
  shortMemory: string;
  plans: Plan[];
  keyMemory: MemoryEntry[];
  stats: NodeStats;
}
