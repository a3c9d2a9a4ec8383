import { LongtaleError } from '../contract/index.js';
import { CachedEmbedder } from '../memory/CachedEmbedder.js';
import type { Embedder } from '../memory/Embedder.js';
import type { PassageIndex } from '../store/PassageIndex.js';
import type { SettingsStore } from '../store/SettingsStore.js';

/** Loads an embedding model file; the llama.cpp loader does, a test gives a scripted one. */
export type EmbedderLoader = (path: string) => Promise<Embedder>;

/** The embedding model last loaded, used when neither --embedding-model nor LONGTALE_EMBEDDING_MODEL names one. */
export const EMBEDDING_SETTING = 'embedding.path';

/** Values of --embedding-model / LONGTALE_EMBEDDING_MODEL that turn the embedding model off (and forget the setting). */
const OFF = new Set(['off', 'none']);

/**
 * Owns the optional embedding model: which file, loading it once on first use, and turning on the passage
 * index's vectors for it. Without one configured, `get()` is undefined and retrieval stays keyword-only.
 */
export class EmbedderHost {
  readonly #load: EmbedderLoader | undefined;
  readonly #settings: SettingsStore;
  readonly #passages: PassageIndex;
  readonly #path: string | undefined;
  #embedder: Promise<Embedder> | undefined;

  constructor(load: EmbedderLoader | undefined, settings: SettingsStore, passages: PassageIndex, path: string | undefined) {
    this.#load = load;
    this.#settings = settings;
    this.#passages = passages;
    if (path !== undefined && OFF.has(path.toLowerCase())) {
      settings.delete(EMBEDDING_SETTING);
      this.#path = undefined;
    } else {
      this.#path = path ?? settings.get(EMBEDDING_SETTING);
    }
  }

  /** The configured file (or model reference), if any. */
  get path(): string | undefined {
    return this.#path;
  }

  /** The embedder, loading it on first use; undefined when none is configured. A failed load is retried next time. */
  async get(): Promise<Embedder | undefined> {
    const file = this.#path;
    if (file === undefined) return undefined;
    const load = this.#load;
    if (!load) throw new LongtaleError('MODEL_LOAD_FAILED', `This engine cannot load the embedding model ${file}.`);
    this.#embedder ??= load(file).then((loaded) => {
      this.#passages.enableVectors(loaded.dimensions, loaded.id);
      this.#settings.set(EMBEDDING_SETTING, file);
      return new CachedEmbedder(loaded);
    });
    try {
      return await this.#embedder;
    } catch (error) {
      this.#embedder = undefined;
      throw error;
    }
  }

  async dispose(): Promise<void> {
    const embedder = await this.#embedder?.catch(() => undefined);
    this.#embedder = undefined;
    await embedder?.dispose();
  }
}
