import type { Embedder } from './Embedder.js';

/**
 * Remembers the vectors of recent texts. Each step asks again about every remembered detail (vectorMentions) and
 * embeds the instruction for the preview and then for the step: the same texts, the same model, the same vectors.
 * Least recently used texts are dropped past `capacity`.
 */
export class CachedEmbedder implements Embedder {
  readonly #inner: Embedder;
  readonly #capacity: number;
  readonly #cache = new Map<string, Float32Array>();

  constructor(inner: Embedder, capacity = 2048) {
    this.#inner = inner;
    this.#capacity = capacity;
  }

  get id(): string {
    return this.#inner.id;
  }

  get dimensions(): number {
    return this.#inner.dimensions;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.#cache.has(t)))];
    if (missing.length > 0) {
      const vectors = await this.#inner.embed(missing, signal);
      missing.forEach((text, i) => {
        const vector = vectors[i];
        if (vector) this.#cache.set(text, vector);
      });
    }
    // The vectors are shared with the cache: callers read them and never write to them.
    const result = texts.map((text) => {
      const vector = this.#cache.get(text) ?? new Float32Array(this.dimensions);
      // Map keeps insertion order: moving a hit to the end makes the first key the least recently used.
      this.#cache.delete(text);
      this.#cache.set(text, vector);
      return vector;
    });
    this.#trim();
    return result;
  }

  #trim(): void {
    for (const key of this.#cache.keys()) {
      if (this.#cache.size <= this.#capacity) return;
      this.#cache.delete(key);
    }
  }

  dispose(): Promise<void> {
    this.#cache.clear();
    return this.#inner.dispose();
  }
}
