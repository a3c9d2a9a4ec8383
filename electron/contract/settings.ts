import { z } from 'zod';

/**
 * The generation settings a person may change while the engine runs, flat so that a form, the CLI
 * (`--set key=value`) and the API name them the same way. Each has bounds; values outside them are refused with
 * INVALID_INPUT naming the key, never clamped silently.
 */
export const settingBounds = {
  /** Longest passage, in tokens (the model's context size may lower it further). */
  passageTokens: { min: 16, max: 2000, step: 1, integer: true },
  temperature: { min: 0, max: 2, step: 0.05, integer: false },
  /** Nucleus sampling: keep the most likely tokens up to this total probability (1 turns it off). */
  topP: { min: 0.05, max: 1, step: 0.01, integer: false },
  /** Keep only the K most likely tokens (0 turns it off). */
  topK: { min: 0, max: 500, step: 1, integer: true },
  /** Drop tokens less likely than this share of the most likely one (0 turns it off). */
  minP: { min: 0, max: 1, step: 0.01, integer: false },
  /** DRY penalty against verbatim loops in passages; 0 turns it off. */
  dryStrength: { min: 0, max: 5, step: 0.05, integer: false },
  /** Earlier passages retrieved into the prompt. */
  relatedPassages: { min: 0, max: 10, step: 1, integer: true },
  /** Share of the context the surprisal memory may fill. */
  memoryBudgetShare: { min: 0, max: 0.5, step: 0.01, integer: false },
  /** An unpinned memory entry whose score falls below this is forgotten (τ). */
  memoryThreshold: { min: 0, max: 10, step: 0.05, integer: false },
  /** Multiplied into unpinned memory scores each turn, per kind; 1 never fades. */
  decayCanon: { min: 0, max: 1, step: 0.01, integer: false },
  decayPlot: { min: 0, max: 1, step: 0.01, integer: false },
  decayChatter: { min: 0, max: 1, step: 0.01, integer: false },
  decayUser: { min: 0, max: 1, step: 0.01, integer: false },
} as const;

export type SettingKey = keyof typeof settingBounds;
export const settingKeys = Object.keys(settingBounds) as SettingKey[];

export function isSettingKey(value: string): value is SettingKey {
  return Object.hasOwn(settingBounds, value);
}

function bounded(key: SettingKey): z.ZodNumber {
  const { min, max, integer } = settingBounds[key];
  const range = `${key} must be between ${min} and ${max}.`;
  const base = z.number({ error: `${key} must be a number.` }).min(min, range).max(max, range);
  return integer ? base.int(`${key} must be a whole number.`) : base;
}

const shape = Object.fromEntries(settingKeys.map((key) => [key, bounded(key)])) as { [K in SettingKey]: z.ZodNumber };

export const EngineSettings = z.object(shape);
export type EngineSettings = z.infer<typeof EngineSettings>;

/**
 * The settings a node was written with: the same keys without the bounds, since a startup flag (the CLI's
 * --passage-tokens, say) may set a value the settings page would refuse.
 */
export const RecordedSettings = z.object(
  Object.fromEntries(settingKeys.map((key) => [key, z.number()])) as { [K in SettingKey]: z.ZodNumber },
);
export type RecordedSettings = z.infer<typeof RecordedSettings>;

/** Any subset of the settings; unknown keys are refused so a typo is not silently ignored. */
export const EngineSettingsPatch = EngineSettings.partial().strict();
export type EngineSettingsPatch = z.infer<typeof EngineSettingsPatch>;

/**
 * The valid keys of a saved patch, each on its own: a value that bounds written since refuse (or a key that no
 * longer exists) is dropped rather than losing the rest. For what the engine saved itself, never for input.
 */
export function keepValidSettings(value: unknown): EngineSettingsPatch {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const kept: EngineSettingsPatch = {};
  for (const key of settingKeys) {
    const one = EngineSettingsPatch.safeParse({ [key]: (value as Record<string, unknown>)[key] });
    if (one.success && one.data[key] !== undefined) kept[key] = one.data[key];
  }
  return kept;
}

/**
 * Phrases passages must never contain ("shivers down her spine"): where one appears, the model goes back to where
 * it began and writes something else. Case is ignored; a phrase begins at the start of a word.
 */
export const AvoidPhrases = z
  .array(z.string().trim().min(1, 'A phrase to avoid is empty.').max(200, 'A phrase to avoid is longer than 200 characters.'))
  .max(200, 'There are more than 200 phrases to avoid.');
export type AvoidPhrases = z.infer<typeof AvoidPhrases>;

/** The phrases of a saved list that are still valid, once each (see keepValidSettings). */
export function keepValidPhrases(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const phrases = value.filter((p): p is string => typeof p === 'string').map((p) => p.trim());
  return [...new Set(phrases.filter((p) => p.length > 0 && p.length <= 200))].slice(0, 200);
}

export const SettingBound = z.object({ min: z.number(), max: z.number(), step: z.number(), integer: z.boolean() });

export const SettingsView = z.object({
  /** What the next step uses. */
  settings: EngineSettings,
  /** What a reset returns to (the built-in values under what the engine was started with). */
  defaults: EngineSettings,
  bounds: z.record(z.string(), SettingBound),
  /** Phrases no passage of any story contains. */
  avoid: AvoidPhrases,
});
export type SettingsView = z.infer<typeof SettingsView>;

/** A story's settings: its own values over the app's, which it follows for every key it does not set. */
export const StorySettingsView = z.object({
  /** What the story's next step uses. */
  settings: EngineSettings,
  /** The story's own values; only the keys it sets. */
  own: EngineSettingsPatch,
  /** The app's settings, which the story follows where it has no value of its own. */
  app: EngineSettings,
  bounds: z.record(z.string(), SettingBound),
  /** Phrases this story's passages never contain, besides the app's (`appAvoid`). */
  avoid: AvoidPhrases,
  appAvoid: AvoidPhrases,
});
export type StorySettingsView = z.infer<typeof StorySettingsView>;
