import type { ContinuityCheck } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { describe } from './describe.js';

/** Points checked along the story when asked to look back. */
export const ALONG_THE_STORY = 6;

export interface CheckEntry {
  id: number;
  question: string;
  answer: string;
  result: { check: ContinuityCheck } | { error: string } | { running: true };
}

/** The continuity checks asked this session, newest first; one runs at a time and can be stopped. */
export class ContinuityChecks {
  #entries = $state.raw<CheckEntry[]>([]);
  #controller: AbortController | null = null;
  #next = 1;
  readonly #backend: Backend;
  readonly #storyId: number;

  constructor(backend: Backend, storyId: number) {
    this.#backend = backend;
    this.#storyId = storyId;
  }

  get entries(): CheckEntry[] {
    return this.#entries;
  }
  get running(): boolean {
    return this.#entries.some((e) => 'running' in e.result);
  }

  /** Puts the question to the story at its current passage (and along it, with `along`); false when one is running. */
  async run(question: string, answer: string, along: boolean): Promise<boolean> {
    if (this.running || !question.trim() || !answer.trim()) return false;
    const id = this.#next++;
    this.#entries = [{ id, question, answer, result: { running: true } }, ...this.#entries];
    const controller = new AbortController();
    this.#controller = controller;
    let result: CheckEntry['result'];
    try {
      const points = along ? ALONG_THE_STORY : 1;
      const check = await this.#backend.call('stories.checkContinuity', { storyId: this.#storyId, question, answer, points }, { signal: controller.signal });
      result = { check };
    } catch (error) {
      result = { error: describe(error) };
    } finally {
      this.#controller = null;
    }
    this.#entries = this.#entries.map((e) => (e.id === id ? { ...e, result } : e));
    return 'check' in result;
  }

  stop(): void {
    this.#controller?.abort();
  }

  remove(id: number): void {
    this.#entries = this.#entries.filter((e) => e.id !== id);
  }
}
