import type { StoryView } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { describe } from './describe.js';

/** One open story: the path from its beginning to the current passage. */
export class StoryState {
  #view = $state<StoryView | null>(null);
  #error = $state<string | null>(null);

  readonly #backend: Backend;
  readonly storyId: number;

  constructor(backend: Backend, storyId: number) {
    this.#backend = backend;
    this.storyId = storyId;
  }

  get view(): StoryView | null {
    return this.#view;
  }
  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    try {
      this.#view = await this.#backend.call('stories.open', { storyId: this.storyId });
      this.#error = null;
    } catch (error) {
      this.#error = describe(error);
    }
  }
}
