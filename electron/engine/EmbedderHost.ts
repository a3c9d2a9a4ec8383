import { type ApiError, LongtaleError } from '../contract/index.js';
import { CachedEmbedder } from '../memory/CachedEmbedder.js';
import type { Embedder } from '../memory/Embedder.js';
import type { PassageIndex } from '../store/PassageIndex.js';
import type { SettingsStore } from '../store/SettingsStore.js';
import { toApiError } from './toApiError.js';

/** Loads an embedding model file; the llama.cpp loader does, a test gives a scripted one. */
export type EmbedderLoader = (path: string) => Promise<Embedder>;

/** The embedding model last loaded, used when neither --embedding-model nor LONGTALE_EMBEDDING_MODEL names one. */
export const EMBEDDING_SETTING = 'embedding.path';

/** Values of --embedding-model / LONGTALE_EMBEDDING_MODEL that turn the embedding model off (and forget the setting). */
const OFF = new Set(['off', 'none']);

/**
 * Owns the optional embedding model: which file, loading it once on first use, and turning on the passage
 * index's vectors for it. Without one configured, `get()` is undefined and retrieval stays keyword-only.
 *
 * A model that fails to load does not stop the story: retrieval falls back to keywords (passages written
 * meanwhile get their vectors later, by backfill), `failure` says why for the status and the UI, and the next use
 * tries again, so a model downloaded or put back meanwhile is picked up without a restart.
 */
export class EmbedderHost {
  readonly #load: EmbedderLoader | undefined;
  readonly #settings: SettingsStore;
  readonly #passages: PassageIndex;
  readonly #path: string | undefined;
  #embedder: Promise<Embedder> | undefined;
  #failure: ApiError | null = null;

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

  /** Why the configured model is not in use (its last load failed); null while it loads or works. */
  get failure(): ApiError | null {
    return this.#failure;
  }

  /** The embedder, loading it on first use; undefined when none is configured or it failed to load (see above). */
  async get(): Promise<Embedder | undefined> {
    const file = this.#path;
    if (file === undefined) return undefined;
    const load: EmbedderLoader =
      this.#load ??
      (async () => {
        throw new LongtaleError('MODEL_LOAD_FAILED', `This engine cannot load the embedding model ${file}.`);
      });
    this.#embedder ??= load(file).then((loaded) => {
      this.#passages.enableVectors(loaded.dimensions, loaded.id);
      this.#settings.set(EMBEDDING_SETTING, file);
      this.#failure = null;
      return new CachedEmbedder(loaded);
    });
    try {
      return await this.#embedder;
    } catch (error) {
      this.#embedder = undefined;
      const apiError = toApiError(error);
      if (!this.#failure) console.error(`longtale: the embedding model ${file} did not load; retrieval uses keywords only. ${apiError.message}`);
      this.#failure = apiError;
      return undefined;
    }
  }

  async dispose(): Promise<void> {
    const embedder = await this.#embedder?.catch(() => undefined);
    this.#embedder = undefined;
    await embedder?.dispose();
  }
}
