import type { MemoryEntry } from '../../contract/index.js';
import { storyOrder } from './storyOrder.js';

/**
 * When a node's memory is recomputed (after an edit), what the user did to it survives: entries they pinned
 * (replacing a recomputed entry with the same id) and entries they added at this node.
 */
export function carryUserEntries(previous: readonly MemoryEntry[], recomputed: readonly MemoryEntry[], turn: number): MemoryEntry[] {
  const owned = previous.filter((e) => e.pinned || (e.sourceNode === null && e.offsets === null && e.turnAdded === turn));
  const ids = new Set(owned.map((e) => e.id));
  return [...recomputed.filter((e) => !ids.has(e.id)), ...owned].sort(storyOrder);
}
