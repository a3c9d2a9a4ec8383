import type { Instruction, MemoryEntry, NodeStats, Plan, TokenSurprisal } from '../contract/index.js';

/** Everything a new node is written with: its passage and the complete state after it. */
export interface NewNodeRecord {
  passage: string;
  /** One line for long-term memory (indexed for retrieval with the passage). */
  summary: string;
  instruction: Instruction;
  shortMemory: string;
  plans: Plan[];
  keyMemory: MemoryEntry[];
  /** Ids of keyMemory entries taken from this node's own text: stored with the new node's id as their sourceNode. */
  ownEntryIds?: readonly string[];
  /** Surprisal of each token of the passage (the heatmap), stored in node_tokens. */
  tokens?: readonly TokenSurprisal[];
  stats: NodeStats;
}
