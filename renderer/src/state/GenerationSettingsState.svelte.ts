import { type EngineSettings, type SettingKey, settingBounds, type SettingsView } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { BackendError } from '../backend/Backend.js';
import { describe } from './describe.js';

/**
 * The engine's generation settings (sampling, passage length, memory) as the settings page edits them. Each
 * field is checked against the contract's bounds before it is sent; the engine checks again and its refusal is
 * shown beside the field. A change is saved by the engine and applies from the next step.
 */
export class GenerationSettingsState {
  #view = $state.raw<SettingsView | null>(null);
  #error = $state<string | null>(null);
  #fieldErrors = $state<Partial<Record<SettingKey, string>>>({});
  #saving = $state(false);
  #savedKey = $state<SettingKey | null>(null);

  readonly #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  get settings(): EngineSettings | null {
    return this.#view?.settings ?? null;
  }
  get defaults(): EngineSettings | null {
    return this.#view?.defaults ?? null;
  }
  get error(): string | null {
    return this.#error;
  }
  get saving(): boolean {
    return this.#saving;
  }
  /** The field saved last, for a quiet confirmation beside it. */
  get savedKey(): SettingKey | null {
    return this.#savedKey;
  }

  fieldError(key: SettingKey): string | null {
    return this.#fieldErrors[key] ?? null;
  }

  async load(): Promise<void> {
    try {
      this.#view = await this.#backend.call('settings.get', {});
      this.#error = null;
    } catch (error) {
      this.#error = describe(error);
    }
  }

  /** Sets one field from what was typed; refused locally when it is not a number within bounds. */
  async change(key: SettingKey, typed: string): Promise<boolean> {
    const problem = checkValue(key, typed);
    if (problem) {
      this.#fieldErrors = { ...this.#fieldErrors, [key]: problem };
      return false;
    }
    return this.#send({ [key]: Number(typed) }, key);
  }

  async reset(): Promise<boolean> {
    this.#saving = true;
    try {
      this.#view = await this.#backend.call('settings.reset', {});
      this.#fieldErrors = {};
      this.#error = null;
      this.#savedKey = null;
      return true;
    } catch (error) {
      this.#error = describe(error);
      return false;
    } finally {
      this.#saving = false;
    }
  }

  async #send(patch: Partial<EngineSettings>, key: SettingKey): Promise<boolean> {
    this.#saving = true;
    try {
      this.#view = await this.#backend.call('settings.update', patch);
      const { [key]: _cleared, ...rest } = this.#fieldErrors;
      this.#fieldErrors = rest;
      this.#error = null;
      this.#savedKey = key;
      return true;
    } catch (error) {
      // A refusal of the value belongs beside its field; anything else (a lost connection) at the top.
      if (error instanceof BackendError && error.code === 'INVALID_INPUT') this.#fieldErrors = { ...this.#fieldErrors, [key]: describe(error) };
      else this.#error = describe(error);
      return false;
    } finally {
      this.#saving = false;
    }
  }
}

/** Why `typed` is not a valid value for `key`, or null. */
export function checkValue(key: SettingKey, typed: string): string | null {
  const { min, max, integer } = settingBounds[key];
  const value = Number(typed);
  if (typed.trim() === '' || !Number.isFinite(value)) return `Enter a number from ${min} to ${max}.`;
  if (value < min || value > max) return `Enter a number from ${min} to ${max}.`;
  if (integer && !Number.isInteger(value)) return 'Enter a whole number.';
  return null;
}
