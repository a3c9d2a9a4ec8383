export type Theme = 'system' | 'light' | 'dark';
export type TextSize = 'small' | 'medium' | 'large';
export type ProseFont = 'serif' | 'sans';

export interface Settings {
  theme: Theme;
  textSize: TextSize;
  proseFont: ProseFont;
}

const DEFAULTS: Settings = { theme: 'system', textSize: 'medium', proseFont: 'serif' };
const KEY = 'longtale.settings';
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const SIZES: readonly TextSize[] = ['small', 'medium', 'large'];
const FONTS: readonly ProseFont[] = ['serif', 'sans'];

/**
 * How the app looks on this device: theme, text size and the typeface of the prose. Kept in local storage and
 * applied as data attributes on the root element, which the style sheet reads.
 */
export class SettingsState {
  #settings = $state<Settings>({ ...DEFAULTS });
  readonly #storage: Storage | null;
  readonly #root: HTMLElement | null;

  constructor(storage: Storage | null = safeStorage(), root: HTMLElement | null = globalThis.document?.documentElement ?? null) {
    this.#storage = storage;
    this.#root = root;
    this.#settings = readSettings(storage);
    this.#apply();
  }

  get theme(): Theme {
    return this.#settings.theme;
  }
  get textSize(): TextSize {
    return this.#settings.textSize;
  }
  get proseFont(): ProseFont {
    return this.#settings.proseFont;
  }

  set(patch: Partial<Settings>): void {
    this.#settings = { ...this.#settings, ...patch };
    this.#apply();
    try {
      this.#storage?.setItem(KEY, JSON.stringify(this.#settings));
    } catch {
      // Storage full or forbidden: the choice holds for this session.
    }
  }

  #apply(): void {
    if (!this.#root) return;
    this.#root.dataset.theme = this.#settings.theme;
    this.#root.dataset.textSize = this.#settings.textSize;
    this.#root.dataset.proseFont = this.#settings.proseFont;
  }
}

function readSettings(storage: Storage | null): Settings {
  let raw: unknown = null;
  try {
    raw = JSON.parse(storage?.getItem(KEY) ?? 'null');
  } catch {
    raw = null;
  }
  const saved = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    theme: pick(saved.theme, THEMES, DEFAULTS.theme),
    textSize: pick(saved.textSize, SIZES, DEFAULTS.textSize),
    proseFont: pick(saved.proseFont, FONTS, DEFAULTS.proseFont),
  };
}

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
