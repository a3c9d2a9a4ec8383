import type { MemoryEntry } from '../../contract/index.js';

/** Within a turn: the reader's instruction first, then the passage in text order, then what the user added. */
function place(entry: MemoryEntry): number {
  if (entry.sourceNode === null && entry.offsets === null) return 2;
  return entry.offsets === null ? 0 : 1;
}

/** Sorts entries the way the story told them, so the prompt reads them in order. */
export function storyOrder(a: MemoryEntry, b: MemoryEntry): number {
  return (
    a.turnAdded - b.turnAdded ||
    place(a) - place(b) ||
    (a.offsets?.start ?? 0) - (b.offsets?.start ?? 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
