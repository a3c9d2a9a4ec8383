import {
  AvoidPhrases,
  EngineSettingsPatch,
  keepValidPhrases,
  keepValidSettings,
  settingBounds,
  type SettingsView,
  type StorySettingsView,
} from '../contract/index.js';
import { parseJson } from '../store/parseJson.js';
import type { SettingsStore } from '../store/SettingsStore.js';
import type { StoryStore } from '../store/StoryStore.js';
import { defaultGenerationSettings, type GenerationSettings, type SettingsFor } from '../story/GenerationSettings.js';
import { toFlatSettings, withFlatSettings } from './flatSettings.js';

/** Where the changes a person made are kept, as a flat JSON object of only the keys they changed. */
const SAVED_KEY = 'generation.settings';
/** The phrases no passage of any story contains, as a JSON array. */
const AVOID_KEY = 'generation.avoid';

/**
 * The generation settings steps read. Precedence: built-in defaults, then what was saved, then what the engine was
 * started with (a command-line value wins for that run, like --model), then changes made while it runs, then a
 * story's own values. Every change is saved and replaces the settings object, so a step already running keeps the
 * settings it started with and the next step reads the new ones.
 */
export class SettingsService {
  readonly #store: SettingsStore;
  readonly #stories: Pick<StoryStore, 'settings' | 'setSettings' | 'avoid' | 'setAvoid'>;
  readonly #defaults: GenerationSettings;
  #saved: EngineSettingsPatch;
  #current: GenerationSettings;

  constructor(store: SettingsStore, stories: StoryStore, startup: Partial<GenerationSettings>) {
    this.#store = store;
    this.#stories = stories;
    const given = Object.fromEntries(Object.entries(startup).filter(([, v]) => v !== undefined)) as Partial<GenerationSettings>;
    this.#defaults = { ...defaultGenerationSettings, ...given };
    const saved = store.get(SAVED_KEY);
    this.#saved = keepValidSettings(saved === undefined ? undefined : parseJson(saved));
    const avoid = store.get(AVOID_KEY);
    this.#current = { ...withFlatSettings(defaultGenerationSettings, this.#saved), avoid: keepValidPhrases(avoid === undefined ? [] : parseJson(avoid)), ...given };
  }

  view(): SettingsView {
    return { settings: toFlatSettings(this.#current), defaults: toFlatSettings(this.#defaults), bounds: settingBounds, avoid: [...this.#current.avoid] };
  }

  /** What `storyId`'s next operation uses (see SettingsFor): its own values over the app's, its phrases besides them. */
  readonly for: SettingsFor = (storyId) => {
    if (storyId === undefined) return this.#current;
    const own = this.#stories.settings(storyId);
    const avoid = this.#stories.avoid(storyId);
    const settings = Object.keys(own).length === 0 ? this.#current : withFlatSettings(this.#current, own);
    return avoid.length === 0 ? settings : { ...settings, avoid: [...new Set([...settings.avoid, ...avoid])] };
  };

  ofStory(storyId: number): StorySettingsView {
    return {
      settings: toFlatSettings(this.for(storyId)),
      own: this.#stories.settings(storyId),
      app: toFlatSettings(this.#current),
      bounds: settingBounds,
      avoid: this.#stories.avoid(storyId),
      appAvoid: [...this.#current.avoid],
    };
  }

  /** Replaces the phrases no passage of any story may contain (checked; each kept once). */
  setAvoid(phrases: readonly string[]): SettingsView {
    const avoid = keepValidPhrases(AvoidPhrases.parse(phrases));
    this.#store.set(AVOID_KEY, JSON.stringify(avoid));
    this.#current = { ...this.#current, avoid };
    return this.view();
  }

  /** Replaces the phrases the story's passages may not contain besides the app's. */
  setStoryAvoid(storyId: number, phrases: readonly string[]): StorySettingsView {
    this.#stories.setAvoid(storyId, keepValidPhrases(AvoidPhrases.parse(phrases)));
    return this.ofStory(storyId);
  }

  /** Replaces the story's own values with `own` (checked against the bounds); {} follows the app's settings again. */
  setStory(storyId: number, own: EngineSettingsPatch): StorySettingsView {
    this.#stories.setSettings(storyId, EngineSettingsPatch.parse(own));
    return this.ofStory(storyId);
  }

  /** Applies and saves `patch`, already validated against the contract's bounds. */
  update(patch: EngineSettingsPatch): SettingsView {
    const checked = EngineSettingsPatch.parse(patch);
    this.#saved = { ...this.#saved, ...checked };
    this.#store.set(SAVED_KEY, JSON.stringify(this.#saved));
    this.#current = withFlatSettings(this.#current, checked);
    return this.view();
  }

  /** Back to the defaults; the phrases to avoid are a list of the author's, not a setting, and stay. */
  reset(): SettingsView {
    this.#saved = {};
    this.#store.set(SAVED_KEY, '{}');
    this.#current = { ...this.#defaults, avoid: this.#current.avoid };
    return this.view();
  }
}
