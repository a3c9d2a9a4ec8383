import type { Instruction, MemoryEntry, NodeStats, Plan, TokenSurprisal } from '../contract/index.js';

/** A node as the story code produces it, ready to be committed in one transaction. */
export interface WrittenNode {
  passage: string;
  summary: string;
  instruction: Instruction;
  shortMemory: string;
  plans: Plan[];
  keyMemory: MemoryEntry[];
  /** Entries of keyMemory taken from this node's own text; the store sets their sourceNode to the node's id. */
  ownEntryIds: string[];
  /** Surprisal of each token of the passage, for the heatmap. */
  tokens: TokenSurprisal[];
  stats: NodeStats;
}

export type StepPhase = 'writing' | 'remembering';

export interface StepCallbacks {
  onText?: (text: string) => void;
  /** The passage is being written again (it repeated recent text): discard what was streamed. */
  onRestart?: () => void;
  onPhase?: (phase: StepPhase) => void;
  signal?: AbortSignal;
}
