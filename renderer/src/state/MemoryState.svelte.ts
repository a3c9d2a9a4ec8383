import type { Fact, PromptPreview } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { describe } from './describe.js';
import { LatestLoad } from './LatestLoad.svelte.js';

/** The story bible (pinned facts) and the preview of exactly what the model will read next. */
export class MemoryState {
  #facts = $state.raw<Fact[]>([]);
  #factsError = $state<string | null>(null);
  readonly #preview = new LatestLoad<PromptPreview>();
  #factsRevision = $state(0);
  #saving = $state(false);

  readonly #backend: Backend;
  readonly #storyId: number;

  constructor(backend: Backend, storyId: number) {
    this.#backend = backend;
    this.#storyId = storyId;
  }

  /** Bumped whenever the facts change: they are part of the prompt. */
  get factsRevision(): number {
    return this.#factsRevision;
  }
  get facts(): Fact[] {
    return this.#facts;
  }
  get factsError(): string | null {
    return this.#factsError;
  }
  get saving(): boolean {
    return this.#saving;
  }
  get preview(): PromptPreview | null {
    return this.#preview.value;
  }
  get previewError(): string | null {
    return this.#preview.error;
  }
  get previewLoading(): boolean {
    return this.#preview.loading;
  }

  loadFacts(): Promise<boolean> {
    return this.#facts$(() => this.#backend.call('facts.list', { storyId: this.#storyId }));
  }

  /** For the whole story, or with `fromNodeId` from that passage on, on its branch only. */
  addFact(text: string, fromNodeId?: number): Promise<boolean> {
    if (!text.trim()) return Promise.resolve(false);
    return this.#facts$(() => this.#backend.call('facts.add', { storyId: this.#storyId, text, ...(fromNodeId === undefined ? {} : { fromNodeId }) }));
  }

  editFact(factId: number, text: string): Promise<boolean> {
    if (!text.trim()) return this.removeFact(factId);
    return this.#facts$(() => this.#backend.call('facts.edit', { storyId: this.#storyId, factId, text }));
  }

  removeFact(factId: number): Promise<boolean> {
    return this.#facts$(() => this.#backend.call('facts.remove', { storyId: this.#storyId, factId }));
  }

  /** Reloads the preview unless it is already as of `key` (say, the story's and the facts' revisions). */
  refreshPreview(key: string, force = false): Promise<void> {
    return this.#preview.load(key, () => this.#backend.call('prompt.preview', { storyId: this.#storyId }), force);
  }

  async #facts$(call: () => Promise<Fact[]>): Promise<boolean> {
    this.#saving = true;
    try {
      const facts = await call();
      // Read again after every move through the story (which facts apply depends on the branch): a revision only when they changed.
      if (JSON.stringify(facts) !== JSON.stringify(this.#facts)) this.#factsRevision += 1;
      this.#facts = facts;
      this.#factsError = null;
      return true;
    } catch (error) {
      this.#factsError = describe(error);
      return false;
    } finally {
      this.#saving = false;
    }
  }
}
