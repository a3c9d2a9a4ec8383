import { SvelteMap } from 'svelte/reactivity';
import type { DownloadRequest, ModelListing } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { describe, isCancelled } from './describe.js';
import type { EngineState } from './EngineState.svelte.js';

export interface DownloadProgress {
  downloadedBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  secondsLeft: number | null;
}

/** The model catalog with fits for this machine, the models on disk, the hardware report, and downloads. */
export class ModelsState {
  #listing = $state.raw<ModelListing | null>(null);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  #loading = $state(false);
  readonly #downloads = new SvelteMap<string, DownloadProgress>();
  /** Only for cancelling; nothing shows them, so they need not be reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #controllers = new Map<string, AbortController>();

  readonly #backend: Backend;
  readonly #engine: EngineState;

  constructor(backend: Backend, engine: EngineState) {
    this.#backend = backend;
    this.#engine = engine;
  }

  get listing(): ModelListing | null {
    return this.#listing;
  }
  get error(): string | null {
    return this.#error;
  }
  get notice(): string | null {
    return this.#notice;
  }
  get loading(): boolean {
    return this.#loading;
  }

  /** A download under way, by catalog id (or URI). */
  download(key: string): DownloadProgress | null {
    return this.#downloads.get(key) ?? null;
  }

  isDownloading(key: string): boolean {
    return this.#downloads.has(key);
  }

  async refresh(): Promise<void> {
    this.#loading = true;
    try {
      this.#listing = await this.#backend.call('models.list', {});
      this.#error = null;
    } catch (error) {
      this.#error = describe(error);
    } finally {
      this.#loading = false;
    }
  }

  /**
   * Downloads a catalog model (or a URI) with progress. Cancelling keeps what arrived, so the same download
   * later resumes; either way the list is read again to show the file's state.
   */
  async fetch(request: DownloadRequest): Promise<boolean> {
    const key = 'id' in request ? request.id : request.uri;
    if (this.#controllers.has(key)) return false;
    const controller = new AbortController();
    this.#controllers.set(key, controller);
    this.#downloads.set(key, { downloadedBytes: 0, totalBytes: 0, bytesPerSecond: 0, secondsLeft: null });
    this.#error = null;
    this.#notice = null;
    let notice: string | null = null;
    let problem: string | null = null;
    try {
      const result = await this.#backend.call('models.download', request, {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.kind !== 'download') return;
          const { kind: _kind, ...progress } = event;
          this.#downloads.set(key, progress);
        },
      });
      notice = result.alreadyPresent ? 'Already downloaded.' : `Downloaded to ${result.path}.`;
    } catch (error) {
      if (isCancelled(error)) notice = 'Download paused: what arrived is kept, and Resume picks it up.';
      else problem = describe(error);
    } finally {
      this.#controllers.delete(key);
      this.#downloads.delete(key);
    }
    await this.refresh();
    this.#notice = notice;
    this.#error = problem ?? this.#error;
    return problem === null && !controller.signal.aborted;
  }

  cancel(key: string): void {
    this.#controllers.get(key)?.abort();
  }

  /** Makes a model on disk the one the engine writes with. */
  async use(path: string): Promise<boolean> {
    this.#notice = null;
    const ok = await this.#engine.openModel(path);
    if (ok) this.#notice = 'The model is ready.';
    await this.refresh();
    return ok;
  }
}

/** Bytes in the unit a person reads: 734 MB, 4.1 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
