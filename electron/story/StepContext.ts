import type { Instruction, MemoryEntry } from '../contract/index.js';
import type { Embedder } from '../memory/Embedder.js';

/** Everything a step reads, gathered by the engine; the story code itself touches no storage. */
export interface StepContext {
  story: { title: string; premise: string; genre: string; style: string; outline: string };
  /** The story bible: facts the author pinned. Never trimmed, never decayed. */
  facts: string[];
  /**
   * The state after the passage we continue from; null at the opening. `plans` are the plans it offers: the
   * instructions the next step will most likely get, so its prompt is fitted to leave room for any of them.
   */
  previous: { passage: string; shortMemory: string; keyMemory: MemoryEntry[]; plans: string[] } | null;
  /** Earlier passages retrieved for this instruction, most relevant first (ancestors only). */
  related: { passage: string; summary: string }[];
  instruction: Instruction;
  /** Depth of the node being written (the opening is turn 0): the surprisal memory's clock. */
  turn: number;
  /** The embedding model, when one is configured: the surprisal memory also recognises a detail mentioned again by meaning. */
  embedder?: Embedder;
}
