import { type EngineSettings, type SettingKey, settingBounds } from '../../../electron/contract/index.js';
import { BackendError } from '../backend/Backend.js';
import { describe } from './describe.js';

/** What the setting fields (SettingFields.svelte) read and change. */
export interface EditableSettings {
  /** The values the fields show; null until read. */
  readonly settings: EngineSettings | null;
  /** The field saved last, for a quiet confirmation beside it. */
  readonly savedKey: SettingKey | null;
  fieldError(key: SettingKey): string | null;
  change(key: SettingKey, typed: string): Promise<boolean>;
}

/**
 * A form of generation settings saved in the engine, one field at a time: each value is checked against the
 * contract's bounds before it is sent; the engine checks again, and its refusal is shown beside the field.
 * Subclasses say where the settings are read from and how one value is saved.
 */
export abstract class SettingsForm implements EditableSettings {
  #error = $state<string | null>(null);
  #fieldErrors = $state<Partial<Record<SettingKey, string>>>({});
  /** Saves under way (a subclass may let them overlap). */
  #saving = $state(0);
  #savedKey = $state<SettingKey | null>(null);
  #avoidError = $state<string | null>(null);
  #avoidSaved = $state(false);

  abstract get settings(): EngineSettings | null;
  /** Phrases no passage may contain, as this form keeps them. */
  abstract get avoid(): readonly string[];
  /** Replaces them; false when refused (the reason is `avoidError`). */
  abstract setAvoid(phrases: readonly string[]): Promise<boolean>;

  /** Why the phrases to avoid were refused, beside the list. */
  get avoidError(): string | null {
    return this.#avoidError;
  }
  /** The list was saved and not edited since. */
  get avoidSaved(): boolean {
    return this.#avoidSaved;
  }
  /** The list is being edited again: the last confirmation no longer holds. */
  editingAvoid(): void {
    this.#avoidSaved = false;
  }

  get error(): string | null {
    return this.#error;
  }
  get saving(): boolean {
    return this.#saving > 0;
  }
  get savedKey(): SettingKey | null {
    return this.#savedKey;
  }

  fieldError(key: SettingKey): string | null {
    return this.#fieldErrors[key] ?? null;
  }

  /** Sets one field from what was typed; refused locally when it is not a number within bounds. */
  async change(key: SettingKey, typed: string): Promise<boolean> {
    const problem = checkValue(key, typed);
    if (problem) {
      this.#fieldErrors = { ...this.#fieldErrors, [key]: problem };
      return false;
    }
    return this.save(key, () => this.send(key, Number(typed)));
  }

  /** Saves `value` for `key` in the engine and keeps what it answers. */
  protected abstract send(key: SettingKey, value: number): Promise<void>;

  /** Runs a change of the phrases to avoid; any failure is shown beside the list. */
  protected async saveAvoid(call: () => Promise<void>): Promise<boolean> {
    this.#saving++;
    try {
      await call();
      this.#avoidError = null;
      // One confirmation at a time, beside what was saved last.
      this.#avoidSaved = true;
      this.#savedKey = null;
      return true;
    } catch (error) {
      this.#avoidError = describe(error);
      this.#avoidSaved = false;
      return false;
    } finally {
      this.#saving--;
    }
  }

  /** Runs a read; a failure is shown at the top. */
  protected async read(call: () => Promise<void>): Promise<void> {
    try {
      await call();
      this.#error = null;
    } catch (error) {
      this.#error = describe(error);
    }
  }

  /**
   * Runs a change of one field (`key`) or of all of them (null). A refusal of a field's value belongs beside that
   * field; anything else (a lost connection) at the top.
   */
  protected async save(key: SettingKey | null, call: () => Promise<void>): Promise<boolean> {
    this.#saving++;
    try {
      await call();
      if (key) {
        const { [key]: _cleared, ...rest } = this.#fieldErrors;
        this.#fieldErrors = rest;
      } else {
        this.#fieldErrors = {};
      }
      this.#error = null;
      this.#savedKey = key;
      this.#avoidSaved = false;
      return true;
    } catch (error) {
      if (key && error instanceof BackendError && error.code === 'INVALID_INPUT') this.#fieldErrors = { ...this.#fieldErrors, [key]: describe(error) };
      else this.#error = describe(error);
      return false;
    } finally {
      this.#saving--;
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
