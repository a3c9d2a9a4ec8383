import { MemoryEntry, NodeStats, Plan, RecordedSettings } from '../contract/index.js';
import { isRecord, parseJson } from './parseJson.js';

/** What a node's `state` JSON column holds: the memory and plans as of that node, and how it was made. */
export interface NodeState {
  shortMemory: string;
  plans: Plan[];
  keyMemory: MemoryEntry[];
  stats: NodeStats;
}

/** The stats of a node no model call made (yet). */
export const ZERO_STATS: NodeStats = {
  promptTokens: 0,
  evaluatedTokens: 0,
  generatedTokens: 0,
  milliseconds: 0,
  retries: 0,
  fallback: false,
  regenerated: false,
  scoringMs: 0,
};

interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * Reads the state column leniently, field by field: rows from migration 001 hold `{}` (or older shapes), and a
 * corrupt value must still open the story. Whatever is missing or malformed becomes empty memory, no plans and
 * zero stats; valid items of a partly broken list are kept.
 */
export function parseNodeState(json: string): NodeState {
  const raw = parseJson(json);
  const state = isRecord(raw) ? raw : {};
  return {
    shortMemory: typeof state.shortMemory === 'string' ? state.shortMemory : '',
    plans: validItems(state.plans, Plan),
    keyMemory: keyMemoryOf(state.keyMemory),
    stats: parseStats(state.stats),
  };
}

/**
 * Entries as stored. Rows written before the memory had ids, base scores and turns get them here: an id from the
 * position (`legacy.N`), the current score as base; the other new fields take the contract's defaults.
 */
function keyMemoryOf(value: unknown): MemoryEntry[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const entries: MemoryEntry[] = [];
  // One schema pass per entry: a long story's open parses a snapshot of ~20 entries for each of its nodes.
  for (const item of value) {
    const parsed = MemoryEntry.safeParse(item);
    if (!parsed.success) continue;
    const i = entries.length;
    const base = isRecord(item) && typeof item.base === 'number' ? parsed.data.base : parsed.data.score;
    let id = parsed.data.id || `legacy.${i}`;
    if (seen.has(id)) id = `${id}.${i}`;
    seen.add(id);
    entries.push({ ...parsed.data, id, base });
  }
  return entries;
}

function validItems<T>(value: unknown, schema: Schema<T>): T[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

function parseStats(value: unknown): NodeStats {
  const stats: Record<string, unknown> = { ...ZERO_STATS };
  if (isRecord(value)) {
    for (const key of Object.keys(ZERO_STATS) as (keyof NodeStats)[]) {
      const parsed = NodeStats.shape[key].safeParse(value[key]);
      if (parsed.success) stats[key] = parsed.data;
    }
    const avoided = NodeStats.shape.avoidedPhrases.safeParse(value.avoidedPhrases);
    if (avoided.success && avoided.data !== undefined) stats.avoidedPhrases = avoided.data;
    const settings = RecordedSettings.safeParse(value.settings);
    if (settings.success) stats.settings = settings.data;
  }
  return stats as NodeStats;
}
