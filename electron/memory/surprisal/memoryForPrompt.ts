import type { MemoryEntry } from '../../contract/index.js';
import { entryTokens } from './evictEntries.js';
import { storyOrder } from './storyOrder.js';

/**
 * The entries the next prompt shows: pinned ones first, then by score, as many as fit `budget` tokens (the stored
 * memory may be over it after a user edit, until the next turn evicts), printed in story order.
 */
export function memoryForPrompt(
  entries: readonly MemoryEntry[],
  budget: number,
  countTokens: (text: string) => number,
): MemoryEntry[] {
  const ranked = [...entries].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.score - a.score);
  const chosen: MemoryEntry[] = [];
  let used = 0;
  for (const entry of ranked) {
    if (entry.text.trim() === '') continue;
    const cost = entryTokens(entry, countTokens);
    if (!entry.pinned && used + cost > budget) continue;
    chosen.push(entry);
    used += cost;
  }
  return chosen.sort(storyOrder);
}
