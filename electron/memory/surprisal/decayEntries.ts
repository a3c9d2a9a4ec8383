import type { MemoryEntry } from '../../contract/index.js';
import type { MemorySettings } from './MemorySettings.js';

/** One turn of forgetting: every unpinned score times its kind's decay (SirLLM decays every turn, evicted or not). */
export function decayEntries(entries: readonly MemoryEntry[], decay: MemorySettings['decay']): MemoryEntry[] {
  return entries.map((e) => (e.pinned ? e : { ...e, score: e.score * Math.min(1, Math.max(0, decay[e.kind])) }));
}
