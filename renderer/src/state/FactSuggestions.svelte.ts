import { SvelteSet } from 'svelte/reactivity';
import type { FactSuggestion } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { LatestLoad } from './LatestLoad.svelte.js';

/** Names that keep coming up in the story and are in no pinned fact yet, offered for the story bible. */
export class FactSuggestions {
  readonly #suggestions = new LatestLoad<FactSuggestion[]>();
  /** Names the author said "not now" to, until the story is opened again. */
  readonly #dismissed = new SvelteSet<string>();
  readonly #backend: Backend;
  readonly #storyId: number;

  constructor(backend: Backend, storyId: number) {
    this.#backend = backend;
    this.#storyId = storyId;
  }

  get items(): FactSuggestion[] {
    return (this.#suggestions.value ?? []).filter((s) => !this.#dismissed.has(s.name));
  }
  get error(): string | null {
    return this.#suggestions.error;
  }
  get loading(): boolean {
    return this.#suggestions.loading;
  }

  /** Reads them again unless already as of `key` (the story's and the facts' revisions). */
  load(key: string): Promise<void> {
    return this.#suggestions.load(key, () => this.#backend.call('facts.suggest', { storyId: this.#storyId }));
  }

  dismiss(name: string): void {
    this.#dismissed.add(name);
  }
}
