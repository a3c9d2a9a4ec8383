export interface FusedItem<T> {
  id: T;
  /** Sum over the rankings of 1 / (k + rank), rank counted from 1. Higher is better. */
  score: number;
}

/**
 * Reciprocal rank fusion (Cormack et al., 2009): merges best-first rankings that have incomparable scores (BM25
 * and vector distance) using only the ranks. k = 60 damps the head of each list, so one list's first place does
 * not drown out agreement between lists. An id repeated within a list counts at its first place only. Ties are
 * broken by the best single rank, then by which ranking came first, so the result is deterministic.
 */
export function fuseRankings<T>(rankings: readonly (readonly T[])[], k = 60): FusedItem<T>[] {
  const fused = new Map<T, { score: number; bestRank: number; list: number }>();
  rankings.forEach((ranking, list) => {
    const seen = new Set<T>();
    ranking.forEach((id, index) => {
      if (seen.has(id)) return;
      seen.add(id);
      const rank = index + 1;
      const entry = fused.get(id);
      if (!entry) {
        fused.set(id, { score: 1 / (k + rank), bestRank: rank, list });
        return;
      }
      entry.score += 1 / (k + rank);
      if (rank < entry.bestRank) Object.assign(entry, { bestRank: rank, list });
    });
  });
  return [...fused]
    .sort(([, a], [, b]) => b.score - a.score || a.bestRank - b.bestRank || a.list - b.list)
    .map(([id, { score }]) => ({ id, score }));
}
