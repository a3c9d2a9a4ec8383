import type { EngineSettings, EngineSettingsPatch, SettingKey, StorySettingsView } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { SettingsForm } from './SettingsForm.svelte.js';

/**
 * One story's generation settings: its own values, which win over the app's settings for this story from its next
 * step, and the app's, which it follows for every key it does not set (later changes there included).
 */
export class StorySettings extends SettingsForm {
  #view = $state.raw<StorySettingsView | null>(null);
  // Each change replaces the story's whole `own`, so one waits for the answer to the one before to build on it.
  #last: Promise<unknown> = Promise.resolve();
  readonly #backend: Backend;
  readonly #storyId: number;

  constructor(backend: Backend, storyId: number) {
    super();
    this.#backend = backend;
    this.#storyId = storyId;
  }

  /** What the story's next step uses. */
  get settings(): EngineSettings | null {
    return this.#view?.settings ?? null;
  }
  /** The app's settings, which the story follows where it has no value of its own. */
  get app(): EngineSettings | null {
    return this.#view?.app ?? null;
  }
  /** Only the keys the story sets. */
  get own(): EngineSettingsPatch {
    return this.#view?.own ?? {};
  }
  /** Phrases this story's passages never contain, besides the app's (`appAvoid`). */
  get avoid(): readonly string[] {
    return this.#view?.avoid ?? [];
  }
  get appAvoid(): readonly string[] {
    return this.#view?.appAvoid ?? [];
  }
  get ownsAny(): boolean {
    return Object.keys(this.own).length > 0;
  }

  /** Whether the story sets `key` itself. */
  owns(key: SettingKey): boolean {
    return this.own[key] !== undefined;
  }

  load(): Promise<void> {
    return this.read(async () => {
      this.#view = await this.#backend.call('stories.settings', { storyId: this.#storyId });
    });
  }

  /** Drops the story's own value of `key`: it follows the app's again. */
  followApp(key: SettingKey): Promise<boolean> {
    return this.save(key, () => this.#replace(({ [key]: _dropped, ...rest }) => rest));
  }

  /** Drops all the story's own values. */
  followAppForAll(): Promise<boolean> {
    return this.save(null, () => this.#replace(() => ({})));
  }

  setAvoid(phrases: readonly string[]): Promise<boolean> {
    return this.saveAvoid(async () => {
      this.#view = await this.#backend.call('stories.setAvoid', { storyId: this.#storyId, phrases: [...phrases] });
    });
  }

  protected send(key: SettingKey, value: number): Promise<void> {
    return this.#replace((own) => ({ ...own, [key]: value }));
  }

  /** Sends `next(own)` as the story's own values, `own` as the previous change left it. */
  #replace(next: (own: EngineSettingsPatch) => EngineSettingsPatch): Promise<void> {
    const run = this.#last
      .catch(() => undefined)
      .then(async () => {
        this.#view = await this.#backend.call('stories.setSettings', { storyId: this.#storyId, own: next(this.own) });
      });
    this.#last = run;
    return run;
  }
}
