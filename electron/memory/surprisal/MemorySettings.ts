import type { MemoryKind } from '../../contract/index.js';

/** The knobs of the surprisal memory. Every one has a default (see defaultMemorySettings). */
export interface MemorySettings {
  /** Share of the context the memory may fill, in tokens (SirLLM's entropy budget; the reference proposes 10–15%). */
  budgetShare: number;
  /** An unpinned entry whose score falls below this is forgotten (τ). */
  threshold: number;
  /** Multiplied into every unpinned score each turn, by kind. Pinned entries never decay. */
  decay: Record<MemoryKind, number>;
  /** A span is kept when its z-score (within its turn) reaches this… */
  keepZ: number;
  /** …but no more than this share of the turn's spans: whichever keeps fewer. */
  keepShare: number;
  /** Content-word overlap (Jaccard) at which a new span is the same detail as an entry and merges into it. */
  mergeSimilarity: number;
  /** Content words an entry must share with a turn's text to count as mentioned again (a shared name is enough). */
  mentionWords: number;
  /**
   * With an embedding model: cosine similarity between an entry and one sentence of the turn at which the entry
   * counts as mentioned again, words or no words (see vectorMentions).
   */
  mentionCosine: number;
  /** Sentences longer than this many words are split into clauses. */
  maxSpanWords: number;
  /** The score an entry the user adds starts with. */
  userScore: number;
}

/**
 * Defaults from the reference (§2.6): decay per kind 1.0 / 0.9 / 0.7 as SirLLM's grocery, drift and dialogue
 * settings; the reader's own words fade slowly. With d = 0.9 and τ = 0.2 an unreinforced z = 1 entry lasts about
 * 15 turns, a z = 2 entry about 22.
 */
export const defaultMemorySettings: MemorySettings = {
  budgetShare: 0.1,
  threshold: 0.2,
  decay: { canon: 1, plot: 0.9, chatter: 0.7, user: 0.95 },
  keepZ: 1,
  keepShare: 0.25,
  mergeSimilarity: 0.6,
  mentionWords: 2,
  // Sentence-embedding models commonly score paraphrases of one fact above 0.8 and different sentences of one story
  // below it; not calibrated on a particular model here (no embedding GGUF was available), so it is a setting.
  mentionCosine: 0.8,
  maxSpanWords: 30,
  userScore: 3,
};

/** Defaults under whatever was given (the decay table merged key by key). */
export function resolveMemorySettings(given: Partial<MemorySettings> | undefined): MemorySettings {
  return { ...defaultMemorySettings, ...given, decay: { ...defaultMemorySettings.decay, ...given?.decay } };
}

/** Tokens the memory may fill for a model with this context. */
export function memoryBudget(contextSize: number, settings: MemorySettings): number {
  return Math.max(0, Math.floor(contextSize * settings.budgetShare));
}
