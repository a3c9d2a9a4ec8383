import { describe } from './describe.js';

/**
 * A value read from the engine as of a key (say, the story's and the facts' revisions): read again only when the
 * key changes (or when forced), and only the newest request may set the result, so a slow answer never overwrites
 * a fresher one. After an error the key is forgotten, so the next load tries again.
 */
export class LatestLoad<T> {
  #value = $state.raw<T | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);
  #key: string | null = null;
  #request = 0;

  get value(): T | null {
    return this.#value;
  }
  get error(): string | null {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }

  async load(key: string, read: () => Promise<T>, force = false): Promise<void> {
    if (!force && key === this.#key) return;
    this.#key = key;
    const request = ++this.#request;
    this.#loading = true;
    try {
      const value = await read();
      if (request !== this.#request) return;
      this.#value = value;
      this.#error = null;
    } catch (error) {
      if (request !== this.#request) return;
      this.#error = describe(error);
      this.#key = null;
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }
}
