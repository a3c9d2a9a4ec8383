import type { MemoryEntry } from '../../contract/index.js';

/** What an entry costs in the prompt: its text plus the "- " and line break around it. */
export function entryTokens(entry: MemoryEntry, countTokens: (text: string) => number): number {
  return countTokens(entry.text) + 2;
}

/** Lowest score first; on a tie the one seen longest ago, then the older one. */
export function evictionOrder(a: MemoryEntry, b: MemoryEntry): number {
  return a.score - b.score || a.lastSeen - b.lastSeen || a.turnAdded - b.turnAdded;
}

/**
 * Forgets unpinned entries whose score fell below `threshold`, then, while the entries cost more than `budget`
 * tokens, the unpinned entry with the lowest score. Pinned entries are never evicted: if they alone exceed the
 * budget every unpinned entry goes (the API refuses a pin that would get there). Order is kept.
 */
export function evictEntries(
  entries: readonly MemoryEntry[],
  threshold: number,
  budget: number,
  countTokens: (text: string) => number,
): { kept: MemoryEntry[]; evicted: MemoryEntry[] } {
  const evicted = entries.filter((e) => !e.pinned && e.score < threshold);
  const alive = entries.filter((e) => e.pinned || e.score >= threshold);
  const cost = new Map(alive.map((e) => [e, entryTokens(e, countTokens)]));
  let total = alive.reduce((sum, e) => sum + (cost.get(e) ?? 0), 0);
  const candidates = alive.filter((e) => !e.pinned).sort(evictionOrder);
  const gone = new Set<MemoryEntry>();
  for (const entry of candidates) {
    if (total <= budget) break;
    gone.add(entry);
    total -= cost.get(entry) ?? 0;
  }
  return { kept: alive.filter((e) => !gone.has(e)), evicted: [...evicted, ...candidates.filter((e) => gone.has(e))] };
}
