import type { CallEvent, ContinuityCheck, SavedCheck } from '../../../electron/contract/index.js';
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

type Asked = Pick<CheckEntry, 'question' | 'answer'>;
type Finished = Asked & { result: { check: ContinuityCheck } | { error: string } };

/** The continuity checks asked this session, newest first; one request runs at a time and can be stopped. */
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
    const points = along ? ALONG_THE_STORY : 1;
    const [entry] = await this.#track([{ question, answer }], async (signal) => {
      try {
        const check = await this.#backend.call('stories.checkContinuity', { storyId: this.#storyId, question, answer, points }, { signal });
        return [{ question, answer, result: { check } }];
      } catch (error) {
        return [{ question, answer, result: { error: describe(error) } }];
      }
    });
    return entry !== undefined && 'check' in entry.result;
  }

  /**
   * Puts every check kept with the story to it at its current passage, in one request: an entry each. Their
   * results, or why the run did not finish: the checks done before a failure or a stop keep their entries (the
   * engine reports each as it finishes), and the one reason is returned.
   */
  async runKept(kept: readonly SavedCheck[]): Promise<{ checks: ContinuityCheck[] } | { error: string }> {
    if (this.running) return { error: 'Another check is running.' };
    if (kept.length === 0) return { checks: [] };
    let error = '';
    const finished = await this.#track(kept, async (signal) => {
      // The engine's list is the one run: entries come from what it reports, not from `kept`.
      const done: ContinuityCheck[] = [];
      const onEvent = (event: CallEvent) => {
        if (event.kind === 'checked') done.push(event.check);
      };
      try {
        const results = await this.#backend.call('checks.run', { storyId: this.#storyId }, { signal, onEvent });
        return results.map(({ check }) => entryOf(check));
      } catch (caught) {
        error = describe(caught);
        return done.map(entryOf);
      }
    });
    return error ? { error } : { checks: finished.flatMap((e) => ('check' in e.result ? [e.result.check] : [])) };
  }

  stop(): void {
    this.#controller?.abort();
  }

  remove(id: number): void {
    this.#entries = this.#entries.filter((e) => e.id !== id);
  }

  /** Shows `asked` as running entries, newest first, while `call` runs (stoppable); then what it finished with in their place. */
  async #track(asked: readonly Asked[], call: (signal: AbortSignal) => Promise<Finished[]>): Promise<Finished[]> {
    const ids = asked.map(() => this.#next++);
    const running = asked.map(({ question, answer }, i) => ({ id: ids[i] ?? 0, question, answer, result: { running: true as const } }));
    this.#entries = [...running, ...this.#entries];
    const controller = new AbortController();
    this.#controller = controller;
    let finished: Finished[];
    try {
      finished = await call(controller.signal);
    } finally {
      this.#controller = null;
    }
    // Ids are kept where they can be, so an entry's result replaces its own running line.
    const done = finished.map((entry, i) => ({ ...entry, id: ids[i] ?? this.#next++ }));
    this.#entries = [...done, ...this.#entries.filter((e) => !ids.includes(e.id))];
    return finished;
  }
}

function entryOf(check: ContinuityCheck): Finished {
  return { question: check.question, answer: check.answer, result: { check } };
}
