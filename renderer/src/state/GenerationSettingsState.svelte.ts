import type { EngineSettings, SettingKey, SettingsView } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { SettingsForm } from './SettingsForm.svelte.js';

/**
 * The engine's generation settings (sampling, passage length, memory) as the settings page edits them. A change
 * is saved by the engine and applies from the next step, in every story that does not set that value itself.
 */
export class GenerationSettingsState extends SettingsForm {
  #view = $state.raw<SettingsView | null>(null);

  readonly #backend: Backend;

  constructor(backend: Backend) {
    super();
    this.#backend = backend;
  }

  get settings(): EngineSettings | null {
    return this.#view?.settings ?? null;
  }
  get defaults(): EngineSettings | null {
    return this.#view?.defaults ?? null;
  }
  get avoid(): readonly string[] {
    return this.#view?.avoid ?? [];
  }

  setAvoid(phrases: readonly string[]): Promise<boolean> {
    return this.saveAvoid(async () => {
      this.#view = await this.#backend.call('settings.setAvoid', { phrases: [...phrases] });
    });
  }

  load(): Promise<void> {
    return this.read(async () => {
      this.#view = await this.#backend.call('settings.get', {});
    });
  }

  reset(): Promise<boolean> {
    return this.save(null, async () => {
      this.#view = await this.#backend.call('settings.reset', {});
    });
  }

  protected async send(key: SettingKey, value: number): Promise<void> {
    this.#view = await this.#backend.call('settings.update', { [key]: value });
  }
}
