import { defaultMemorySettings, type MemorySettings } from '../memory/surprisal/MemorySettings.js';

/** The knobs of story generation; every one has a default and can be set per engine (and later per story). */
export interface GenerationSettings {
  /** Longest passage, in tokens (the context size may lower it). */
  passageTokens: number;
  temperature: number;
  /** Truncation samplers of the passage: top-p (1 off), top-k (0 off), min-p (0 off). */
  topP: number;
  topK: number;
  minP: number;
  /** Fixed seed for repeatable output; undefined draws a new one per call. */
  seed?: number;
  /** DRY penalty strength for passages; 0 turns it off. */
  dryStrength: number;
  /** Earlier passages retrieved into the prompt. */
  relatedPassages: number;
  /** Share of a passage's 4-grams seen in recent passages above which it is written again once. */
  repetitionThreshold: number;
  /** The surprisal memory: budget, decay per kind, threshold, span selection. */
  memory: MemorySettings;
  /** Phrases passages never contain (the app's and the story's); case is ignored. */
  avoid: readonly string[];
}

/**
 * The settings a story's operations read, at each use (a change applies from the next one): the app's, with the
 * story's own values over them. Without a story (the opening of a new one), the app's.
 */
export type SettingsFor = (storyId?: number) => GenerationSettings;

export const defaultGenerationSettings: GenerationSettings = {
  passageTokens: 400,
  temperature: 0.8,
  topP: 0.95,
  topK: 40,
  minP: 0.05,
  dryStrength: 0.8,
  relatedPassages: 3,
  repetitionThreshold: 0.15,
  memory: defaultMemorySettings,
  avoid: [],
};
