import type { ModelStatus } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { Embedder } from '../memory/Embedder.js';
import type { SettingsStore } from '../store/SettingsStore.js';
import type { TextModel } from '../story/TextModel.js';
import { toApiError } from './toApiError.js';

/** A model the engine owns: it must be disposed when replaced or when the engine closes. */
export type LoadedModel = TextModel & { dispose(): Promise<void> };

export interface ModelLoader {
  /** Checks the file (exists, is a sound GGUF) and throws a coded error naming the problem if not; never loads. */
  validate(path: string): void | Promise<void>;
  /** `stateDir`: where the model may keep KV state files of stories (none: it keeps none). */
  load(path: string, signal?: AbortSignal, options?: { stateDir?: string }): Promise<LoadedModel>;
  /** Loads a second model as an embedding model (long-term retrieval); absent when the loader cannot. */
  loadEmbedder?(path: string): Promise<Embedder>;
  dispose(): Promise<void>;
  /** The backend in use and why a GPU is not, once the loader has started one; undefined before. */
  hardware?(): { backend: string; fallbackReason: string | null } | undefined;
}

/** The last model that loaded, used when neither --model nor LONGTALE_MODEL names one. */
const MODEL_SETTING = 'model.path';

/** Turns what the user named (a path, a catalog id, a `hf:` URI) into a file; see resolveModelRef. */
export type ModelResolver = (ref: string) => Promise<string>;

export interface ModelHostOptions {
  /** Turns a catalog id or URI into a file; by default a reference is already a path. */
  resolve?: ModelResolver;
  /** Where models may keep stories' KV state files; none: they keep none. */
  stateDir?: string;
}

/** Owns the one loaded model: which file, its load state as the UI sees it, switching, and disposal. */
export class ModelHost {
  readonly #loader: ModelLoader;
  readonly #settings: SettingsStore;
  #model: LoadedModel | undefined;
  #status: ModelStatus;
  #loading: Promise<LoadedModel> | undefined;
  readonly #resolve: ModelResolver;
  readonly #stateDir: string | undefined;

  /** `resolve` turns a catalog id or URI into a file; `stateDir` is where models may keep stories' KV state files. */
  constructor(loader: ModelLoader, settings: SettingsStore, path: string | undefined, options: ModelHostOptions = {}) {
    this.#loader = loader;
    this.#settings = settings;
    this.#resolve = options.resolve ?? (async (ref) => ref);
    this.#stateDir = options.stateDir;
    const chosen = path ?? settings.get(MODEL_SETTING);
    this.#status = chosen ? { state: 'configured', path: chosen } : { state: 'none' };
  }

  get status(): ModelStatus {
    return this.#status;
  }

  get loaded(): boolean {
    return this.#model !== undefined;
  }

  /** The loaded model, never loading one. */
  get current(): LoadedModel | undefined {
    return this.#model;
  }

  /** The model, loading it on first use. Waiting can be cancelled without cancelling a load others share. */
  get(signal?: AbortSignal): Promise<LoadedModel> {
    if (this.#model) return Promise.resolve(this.#model);
    const status = this.#status;
    if (status.state === 'none') return Promise.reject(new LongtaleError('NO_MODEL', 'Choose a GGUF model file.'));
    this.#loading ??= this.#load(status.path);
    return abortable(this.#loading, signal);
  }

  /** Switches to the model at `path`. A bad file is refused before the current model is touched. */
  async open(ref: string, signal?: AbortSignal): Promise<void> {
    const path = await this.#resolve(ref);
    await this.#loader.validate(path);
    await this.#loading?.catch(() => undefined);
    await this.#disposeModel();
    this.#status = { state: 'configured', path };
    await this.get(signal);
  }

  async #load(ref: string): Promise<LoadedModel> {
    let path = ref;
    this.#status = { state: 'loading', path };
    try {
      path = await this.#resolve(ref);
      this.#status = { state: 'loading', path };
      const model = await this.#loader.load(path, undefined, { stateDir: this.#stateDir });
      this.#model = model;
      this.#settings.set(MODEL_SETTING, path);
      this.#status = { state: 'ready', path, name: model.name, contextSize: model.contextSize };
      return model;
    } catch (error) {
      const { code, message } = toApiError(error);
      this.#status = { state: 'error', path, code, message };
      throw error;
    } finally {
      this.#loading = undefined;
    }
  }

  async #disposeModel(): Promise<void> {
    const model = this.#model;
    this.#model = undefined;
    await model?.dispose();
  }

  async dispose(): Promise<void> {
    await this.#loading?.catch(() => undefined);
    await this.#disposeModel();
    await this.#loader.dispose();
  }
}

function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new LongtaleError('CANCELLED', 'Stopped.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LongtaleError('CANCELLED', 'Stopped.'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
