/** The values of the last `size` keys asked for: the least recently used is dropped first. */
export class LruMemo<T> {
  readonly #size: number;
  readonly #entries = new Map<string, T>();

  constructor(size: number) {
    this.#size = size;
  }

  /** Makes `value` the most recent one, for `key`. */
  set(key: string, value: T): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#size) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** The value for `key`, computing it only when it is not among the last `size` keys. */
  get(key: string, compute: () => T): T {
    const found = this.#entries.get(key);
    if (found !== undefined) {
      // Most recently used last, so the oldest is the one dropped.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const value = compute();
    this.set(key, value);
    return value;
  }
}
