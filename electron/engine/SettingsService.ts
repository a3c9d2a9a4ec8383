import { EngineSettingsPatch, settingBounds, settingKeys, type SettingsView } from '../contract/index.js';
import { isRecord, parseJson } from '../store/parseJson.js';
import type { SettingsStore } from '../store/SettingsStore.js';
import { defaultGenerationSettings, type GenerationSettings } from '../story/GenerationSettings.js';
import { toFlatSettings, withFlatSettings } from './flatSettings.js';

/** Where the changes a person made are kept, as a flat JSON object of only the keys they changed. */
const SAVED_KEY = 'generation.settings';

/**
 * The generation settings steps read. Precedence: built-in defaults, then what was saved, then what the engine was
 * started with (a command-line value wins for that run, like --model), then changes made while it runs. Every
 * change is saved and replaces the settings object, so a step already running keeps the settings it started with
 * and the next step reads the new ones.
 */
export class SettingsService {
  readonly #store: SettingsStore;
  readonly #defaults: GenerationSettings;
  #saved: EngineSettingsPatch;
  #current: GenerationSettings;

  constructor(store: SettingsStore, startup: Partial<GenerationSettings>) {
    this.#store = store;
    const given = Object.fromEntries(Object.entries(startup).filter(([, v]) => v !== undefined)) as Partial<GenerationSettings>;
    this.#defaults = { ...defaultGenerationSettings, ...given };
    this.#saved = readSaved(store.get(SAVED_KEY));
    this.#current = { ...withFlatSettings(defaultGenerationSettings, this.#saved), ...given };
  }

  /** The settings the next step uses; never mutated (changes replace it). */
  get generation(): GenerationSettings {
    return this.#current;
  }

  view(): SettingsView {
    return { settings: toFlatSettings(this.#current), defaults: toFlatSettings(this.#defaults), bounds: settingBounds };
  }

  /** Applies and saves `patch`, already validated against the contract's bounds. */
  update(patch: EngineSettingsPatch): SettingsView {
    const checked = EngineSettingsPatch.parse(patch);
    this.#saved = { ...this.#saved, ...checked };
    this.#store.set(SAVED_KEY, JSON.stringify(this.#saved));
    this.#current = withFlatSettings(this.#current, checked);
    return this.view();
  }

  reset(): SettingsView {
    this.#saved = {};
    this.#store.set(SAVED_KEY, '{}');
    this.#current = this.#defaults;
    return this.view();
  }
}

/** What was saved, keeping each value that is still valid (bounds may have changed since it was written). */
function readSaved(raw: string | undefined): EngineSettingsPatch {
  const value = raw === undefined ? undefined : parseJson(raw);
  if (!isRecord(value)) return {};
  const saved: EngineSettingsPatch = {};
  for (const key of settingKeys) {
    const one = EngineSettingsPatch.safeParse({ [key]: value[key] });
    if (one.success && one.data[key] !== undefined) saved[key] = one.data[key];
  }
  return saved;
}
