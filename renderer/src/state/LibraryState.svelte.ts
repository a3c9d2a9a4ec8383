import type { NewStory, StorySummary, StoryView } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { describe, isCancelled } from './describe.js';

export type Phase = 'idle' | 'loading-model' | 'writing' | 'saving';

/** The list of stories, and the writing of a new one (streamed, stoppable). */
export class LibraryState {
  #stories = $state<StorySummary[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #phase = $state<Phase>('idle');
  #draft = $state('');
  #stop: AbortController | null = null;

  readonly #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  get stories(): StorySummary[] {
    return this.#stories;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  get phase(): Phase {
    return this.#phase;
  }
  /** The passage as it streams in. */
  get draft(): string {
    return this.#draft;
  }
  get writing(): boolean {
    return this.#phase !== 'idle';
  }

  async refresh(): Promise<void> {
    try {
      this.#stories = await this.#backend.call('stories.list', {});
      this.#loaded = true;
      this.#error = null;
    } catch (error) {
      this.#error = describe(error);
    }
  }

  /** Writes a new story; resolves with it, or with null when stopped or failed (the error is shown). */
  async create(request: NewStory): Promise<StoryView | null> {
    this.#stop = new AbortController();
    this.#phase = 'loading-model';
    this.#draft = '';
    this.#error = null;
    try {
      const view = await this.#backend.call('stories.create', request, {
        signal: this.#stop.signal,
        onEvent: (event) => {
          if (event.kind === 'token') this.#draft += event.text;
          else this.#phase = event.phase;
        },
      });
      await this.refresh();
      return view;
    } catch (error) {
      if (!isCancelled(error)) this.#error = describe(error);
      return null;
    } finally {
      this.#phase = 'idle';
      this.#stop = null;
    }
  }

  stop(): void {
    this.#stop?.abort();
  }
}
