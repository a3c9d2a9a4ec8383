import type { SavedCheck } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import type { ContinuityChecks } from './ContinuityChecks.svelte.js';
import { summarize } from './continuityVerdict.js';
import { describe } from './describe.js';

/**
 * The continuity checks kept with the story, to put to it again as it grows (a regression test of its memory).
 * They run through the session's checks, so their results read like any other and the same Stop stops them.
 */
export class KeptChecks {
  #list = $state.raw<SavedCheck[] | null>(null);
  #error = $state<string | null>(null);
  #summary = $state<string | null>(null);
  /** Each answer is the whole list after its change: only the newest request's may set it. */
  #request = 0;
  readonly #backend: Backend;
  readonly #storyId: number;
  readonly #continuity: ContinuityChecks;

  constructor(backend: Backend, storyId: number, continuity: ContinuityChecks) {
    this.#backend = backend;
    this.#storyId = storyId;
    this.#continuity = continuity;
  }

  /** In the order they were kept; empty until read. */
  get list(): SavedCheck[] {
    return this.#list ?? [];
  }
  get loaded(): boolean {
    return this.#list !== null;
  }
  get error(): string | null {
    return this.#error;
  }
  /** What the last "check all" found, in one line; null before one finished. */
  get summary(): string | null {
    return this.#summary;
  }

  load(): Promise<boolean> {
    return this.#change(() => this.#backend.call('checks.list', { storyId: this.#storyId }));
  }

  /** Keeps a check with the story (the engine keeps the same question and answer once). */
  save(question: string, answer: string): Promise<boolean> {
    return this.#change(() => this.#backend.call('checks.save', { storyId: this.#storyId, question, answer }));
  }

  forget(checkId: number): Promise<boolean> {
    return this.#change(() => this.#backend.call('checks.forget', { storyId: this.#storyId, checkId }));
  }

  /** Puts every kept check to the story at its current passage, then sums up; false when it failed or was stopped. */
  async checkAll(): Promise<boolean> {
    if (this.list.length === 0 || this.#continuity.running) return false;
    this.#summary = null;
    this.#error = null;
    const outcome = await this.#continuity.runKept(this.list);
    if ('error' in outcome) {
      this.#error = outcome.error;
      return false;
    }
    this.#summary = summarize(outcome.checks);
    return true;
  }

  async #change(call: () => Promise<SavedCheck[]>): Promise<boolean> {
    const request = ++this.#request;
    try {
      const list = await call();
      if (request === this.#request) [this.#list, this.#error] = [list, null];
      return true;
    } catch (error) {
      if (request === this.#request) this.#error = describe(error);
      return false;
    }
  }
}
