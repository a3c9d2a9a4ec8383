import os from 'node:os';
import path from 'node:path';
import { type EngineStatus, LongtaleError } from '../contract/index.js';
import { openStore, type Store } from '../store/openStore.js';
import type { GenerationSettings } from '../story/GenerationSettings.js';
import { ArchiveService } from './ArchiveService.js';
import { EmbedderHost } from './EmbedderHost.js';
import { LibraryService } from './LibraryService.js';
import { isLlamaModelLoader } from './llamaModelLoader.js';
import { catalog } from './models/catalog.js';
import { llamaModelTools } from './models/llamaModelTools.js';
import { ModelService } from './models/ModelService.js';
import type { ModelTools } from './models/ModelTools.js';
import { resolveModelRef } from './models/resolveModelRef.js';
import { type LoadedModel, ModelHost, type ModelLoader } from './ModelHost.js';
import { SettingsService } from './SettingsService.js';
import { type CallContext, StoryService } from './StoryService.js';

export type { CallContext, LoadedModel, ModelLoader };

export interface EngineOptions {
  dbPath: string;
  loader: ModelLoader;
  /** A model named on the command line or in the environment (a path, catalog id or `hf:` URI); it wins over the saved setting. */
  modelPath?: string;
  /**
   * An embedding model for long-term retrieval and memory reinforcement (a path, catalog id or `hf:` URI); it wins
   * over the saved setting, and 'off' clears that. Without one, retrieval is by keywords only.
   */
  embeddingModelPath?: string;
  version: string;
  generation?: Partial<GenerationSettings>;
  /** The models folder (downloads, local models); default: a `models` folder beside the database. */
  modelsDir?: string;
  /** Hardware, inspection and downloads; without them the catalog is listed with unknown fits. */
  modelTools?: ModelTools;
}

/**
 * The composition root of the engine: the store, the model and the story operations. Transports (the
 * WebSocket server, the Electron port, the CLI) all reach it through the same API.
 */
export class Engine {
  readonly stories: StoryService;
  readonly archives: ArchiveService;
  readonly library: LibraryService;
  readonly models: ModelService;
  /** The generation settings: changed through the API, saved, read by the next step. */
  readonly settings: SettingsService;
  readonly #store: Store;
  readonly #models: ModelHost;
  readonly #embedder: EmbedderHost;
  readonly #options: EngineOptions;

  private constructor(store: Store, options: EngineOptions) {
    this.#store = store;
    this.#options = options;
    const dir = options.modelsDir ?? defaultModelsFolder(options.dbPath);
    // A llama.cpp loader brings its runtime: the Electron engine process gets downloads without more wiring.
    const tools = options.modelTools ?? (isLlamaModelLoader(options.loader) ? llamaModelTools(options.loader.runtime) : noModelTools);
    const resolve = (ref: string) =>
      resolveModelRef(ref, { dir, catalog: catalog(), findDownloaded: tools.findDownloaded ?? (async () => undefined) });
    const stateDir = kvStateDir(options.dbPath);
    this.#models = new ModelHost(options.loader, store.settings, options.modelPath, { resolve, stateDir });
    const loadEmbedder = options.loader.loadEmbedder?.bind(options.loader);
    this.#embedder = new EmbedderHost(
      loadEmbedder && (async (ref) => loadEmbedder(await resolve(ref))),
      store.settings,
      store.passages,
      options.embeddingModelPath,
    );
    this.settings = new SettingsService(store.settings, store.stories, options.generation ?? {});
    this.stories = new StoryService(store, this.#models, this.settings.for, { embedder: this.#embedder, stateDir });
    this.archives = new ArchiveService(store);
    this.library = new LibraryService(store, (storyId) => this.stories.forgetState(storyId));
    this.models = new ModelService({
      dir,
      tools,
      catalog: catalog(),
      configuredPath: async () => {
        const status = this.#models.status;
        if (status.state === 'none') return undefined;
        // A catalog id or hf: URI not loaded yet is listed as its file; one not downloaded, as named.
        return resolve(status.path).catch(() => status.path);
      },
    });
  }

  static open(options: EngineOptions): Engine {
    return new Engine(openStore(options.dbPath), options);
  }

  status(): EngineStatus {
    const hardware = this.#options.loader.hardware?.();
    const embeddingModel = this.#embedder.path;
    const embeddingError = this.#embedder.failure;
    return {
      version: this.#options.version,
      model: this.#models.status,
      dbPath: this.#options.dbPath,
      ...(hardware ? { hardware } : {}),
      ...(embeddingModel ? { embeddingModel } : {}),
      ...(embeddingError ? { embeddingError } : {}),
    };
  }

  /** Starts loading the configured model in the background, so the first story does not wait for it. */
  preload(): void {
    if (this.#models.status.state === 'configured') this.#models.get().catch(() => undefined);
  }

  /**
   * Resolves once every committed write is on disk, not only in the OS's cache (the log is synced off the event
   * loop after each commit). Replies wait for it, so what a user has seen survives a power cut.
   */
  durable(): Promise<void> {
    return this.#store.db.logSynced();
  }

  async openModel(path: string, signal?: AbortSignal): Promise<EngineStatus> {
    await this.#models.open(path, signal);
    return this.status();
  }

  async dispose(): Promise<void> {
    // A KV state save queued after the last step still needs the model.
    await this.stories.settled();
    await this.#embedder.dispose();
    await this.#models.dispose();
    this.#store.dispose();
  }
}

/** `models` beside the database, which lives in the user-data folder (an in-memory database gets a temp folder). */
function defaultModelsFolder(dbPath: string): string {
  if (dbPath === ':memory:') return path.join(os.tmpdir(), 'longtale-models');
  return path.join(path.dirname(path.resolve(dbPath)), 'models');
}

/**
 * KV state files beside the database, one folder per database (story ids are per database); none for an
 * in-memory database, whose stories do not outlive the process.
 */
export function kvStateDir(dbPath: string): string | undefined {
  if (dbPath === ':memory:') return undefined;
  const resolved = path.resolve(dbPath);
  return path.join(path.dirname(resolved), `${path.basename(resolved, '.db')}.kv`);
}

/** Used when no tools are given (tests with a scripted model): nothing native to ask. */
const noModelTools: ModelTools = {
  hardware: () => Promise.reject(new LongtaleError('INTERNAL', 'No llama.cpp runtime in this engine.')),
  inspect: () => Promise.reject(new LongtaleError('INTERNAL', 'No llama.cpp runtime in this engine.')),
  download: () => Promise.reject(new LongtaleError('DOWNLOAD_FAILED', 'This engine cannot download models.')),
};
