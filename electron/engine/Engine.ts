import type { EngineStatus } from '../contract/index.js';
import { openStore, type Store } from '../store/openStore.js';
import { defaultGenerationSettings, type GenerationSettings } from '../story/GenerationSettings.js';
import { ArchiveService } from './ArchiveService.js';
import { type LoadedModel, ModelHost, type ModelLoader } from './ModelHost.js';
import { type CallContext, StoryService } from './StoryService.js';

export type { CallContext, LoadedModel, ModelLoader };

export interface EngineOptions {
  dbPath: string;
  loader: ModelLoader;
  /** A model named on the command line or in the environment; it wins over the saved setting. */
  modelPath?: string;
  version: string;
  generation?: Partial<GenerationSettings>;
}

/**
 * The composition root of the engine: the store, the model and the story operations. Transports (the
 * WebSocket server, the Electron port, the CLI) all reach it through the same API.
 */
export class Engine {
  readonly stories: StoryService;
  readonly archives: ArchiveService;
  readonly #store: Store;
  readonly #models: ModelHost;
  readonly #options: EngineOptions;

  private constructor(store: Store, options: EngineOptions) {
    this.#store = store;
    this.#options = options;
    this.#models = new ModelHost(options.loader, store.settings, options.modelPath);
    const generation = Object.fromEntries(Object.entries(options.generation ?? {}).filter(([, v]) => v !== undefined));
    this.stories = new StoryService(store, this.#models, { ...defaultGenerationSettings, ...generation });
    this.archives = new ArchiveService(store);
  }

  static open(options: EngineOptions): Engine {
    return new Engine(openStore(options.dbPath), options);
  }

  status(): EngineStatus {
    return { version: this.#options.version, model: this.#models.status, dbPath: this.#options.dbPath };
  }

  /** Starts loading the configured model in the background, so the first story does not wait for it. */
  preload(): void {
    if (this.#models.status.state === 'configured') this.#models.get().catch(() => undefined);
  }

  async openModel(path: string, signal?: AbortSignal): Promise<EngineStatus> {
    await this.#models.open(path, signal);
    return this.status();
  }

  async dispose(): Promise<void> {
    await this.#models.dispose();
    this.#store.dispose();
  }
}
