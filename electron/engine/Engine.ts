import type { CallEvent, EngineStatus, ModelStatus, NewStory, StorySummary, StoryView } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import { openStore, type Store } from '../store/openStore.js';
import type { TextModel } from '../story/TextModel.js';
import { writeOpening } from '../story/writeOpening.js';
import { toApiError } from './toApiError.js';

/** A model the engine owns: it must be disposed when replaced or when the engine closes. */
export type LoadedModel = TextModel & { dispose(): Promise<void> };

export interface ModelLoader {
  /** Checks the file cheaply (exists, is GGUF) and throws a coded error if not; never loads. */
  validate(path: string): void;
  load(path: string, signal?: AbortSignal): Promise<LoadedModel>;
  dispose(): Promise<void>;
}

export interface EngineOptions {
  dbPath: string;
  loader: ModelLoader;
  /** A model named on the command line or in the environment; it wins over the saved setting. */
  modelPath?: string;
  version: string;
  generation?: { passageTokens?: number; temperature?: number; seed?: number };
}

export interface CallContext {
  emit(event: CallEvent): void;
  signal: AbortSignal;
}

/** The last model that loaded, used when neither --model nor LONGTALE_MODEL names one. */
const MODEL_SETTING = 'model.path';

/**
 * The composition root of the engine: the story store, the model and the story operations. Transports (the
 * WebSocket server, the Electron port, the CLI) all call it through the same API.
 */
export class Engine {
  readonly #store: Store;
  readonly #options: EngineOptions;
  #model: LoadedModel | undefined;
  #modelStatus: ModelStatus;
  #loading: Promise<LoadedModel> | undefined;

  private constructor(store: Store, options: EngineOptions) {
    this.#store = store;
    this.#options = options;
    const path = options.modelPath ?? store.settings.get(MODEL_SETTING);
    this.#modelStatus = path ? { state: 'configured', path } : { state: 'none' };
  }

  static open(options: EngineOptions): Engine {
    return new Engine(openStore(options.dbPath), options);
  }

  status(): EngineStatus {
    return { version: this.#options.version, model: this.#modelStatus, dbPath: this.#options.dbPath };
  }

  /** Starts loading the configured model in the background, so the first story does not wait for it. */
  preload(): void {
    if (this.#modelStatus.state === 'configured') this.#ensureModel().catch(() => undefined);
  }

  /** Switches to the model at `path`. A bad file is refused before the current model is touched. */
  async openModel(path: string, signal?: AbortSignal): Promise<EngineStatus> {
    this.#options.loader.validate(path);
    await this.#loading?.catch(() => undefined);
    await this.#disposeModel();
    this.#modelStatus = { state: 'configured', path };
    await this.#ensureModel(signal);
    return this.status();
  }

  listStories(): StorySummary[] {
    return this.#store.stories.list();
  }

  openStory(storyId: number): StoryView {
    return this.#store.stories.open(storyId);
  }

  async createStory(request: NewStory, call: CallContext): Promise<StoryView> {
    if (!this.#model) call.emit({ kind: 'phase', phase: 'loading-model' });
    const model = await this.#ensureModel(call.signal);
    call.emit({ kind: 'phase', phase: 'writing' });
    const generation = this.#options.generation ?? {};
    const opening = await writeOpening(
      model,
      { ...request, maxTokens: generation.passageTokens ?? 240, temperature: generation.temperature, seed: generation.seed },
      { onText: (text) => call.emit({ kind: 'token', text }), signal: call.signal },
    );
    if (call.signal.aborted) throw new LongtaleError('CANCELLED', 'Writing was stopped.');
    call.emit({ kind: 'phase', phase: 'saving' });
    return this.#store.stories.create({
      title: opening.title,
      premise: request.premise,
      passage: opening.passage,
      state: { stats: opening.stats, model: model.name },
    });
  }

  async #ensureModel(signal?: AbortSignal): Promise<LoadedModel> {
    if (this.#model) return this.#model;
    const status = this.#modelStatus;
    if (status.state === 'none') throw new LongtaleError('NO_MODEL', 'Choose a GGUF model file.');
    this.#loading ??= this.#load(status.path);
    return abortable(this.#loading, signal);
  }

  async #load(path: string): Promise<LoadedModel> {
    this.#modelStatus = { state: 'loading', path };
    try {
      const model = await this.#options.loader.load(path);
      this.#model = model;
      this.#store.settings.set(MODEL_SETTING, path);
      this.#modelStatus = { state: 'ready', path, name: model.name, contextSize: model.contextSize };
      return model;
    } catch (error) {
      const { code, message } = toApiError(error);
      this.#modelStatus = { state: 'error', path, code, message };
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
    await this.#options.loader.dispose();
    this.#store.dispose();
  }
}

/** Lets a caller stop waiting for shared work (a model load other callers may still want) without cancelling it. */
function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new LongtaleError('CANCELLED', 'Stopped.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LongtaleError('CANCELLED', 'Stopped.'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
