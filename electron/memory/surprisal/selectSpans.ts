/** A candidate span of one turn with its raw score (see spanScore). */
export interface RawSpan {
  raw: number;
}

/**
 * Normalises the turn's span scores to z-scores (so a terse instruction and a florid passage compete on what is
 * unusual *for this turn*) and keeps those with z ≥ keepZ or the top keepShare of spans, whichever is fewer. Kept
 * spans come back highest first, each with its z.
 */
export function selectSpans<T extends RawSpan>(spans: readonly T[], keepZ: number, keepShare: number): (T & { z: number })[] {
  const n = spans.length;
  if (n < 2) return [];
  const mean = spans.reduce((sum, s) => sum + s.raw, 0) / n;
  const std = Math.sqrt(spans.reduce((sum, s) => sum + (s.raw - mean) ** 2, 0) / n);
  if (!(std > 1e-9)) return [];
  const scored = spans.map((s) => ({ ...s, z: (s.raw - mean) / std })).sort((a, b) => b.z - a.z);
  const quota = Math.ceil(n * keepShare);
  return scored.filter((s) => s.z >= keepZ).slice(0, quota);
}
