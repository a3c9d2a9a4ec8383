import type { AutoTarget, StepInput, StoryView } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import { countWords } from '../store/countWords.js';
import { chooseNextPlan } from '../story/chooseNextPlan.js';
import type { SettingsFor } from '../story/GenerationSettings.js';
import type { TextModel } from '../story/TextModel.js';
import type { StepContexts } from './StepContexts.js';
import type { CallContext } from './StoryService.js';

export interface AutoWriterParts {
  contexts: StepContexts;
  settings: SettingsFor;
  model: (call: CallContext) => Promise<TextModel>;
  step: (storyId: number, fromNodeId: number, input: StepInput, call: CallContext, window?: number) => Promise<StoryView>;
  open: (storyId: number, window?: number) => StoryView;
}

/** Writing unattended toward a target, choosing among the plans itself; one run per story, pausable. */
export class AutoWriter {
  readonly #parts: AutoWriterParts;
  /** Stories with an auto run that should stop after its current passage. */
  readonly #pauseRequested = new Set<number>();
  readonly #running = new Set<number>();

  constructor(parts: AutoWriterParts) {
    this.#parts = parts;
  }

  /** Writes toward `target`; stops early when paused or cancelled. The view returned holds `window` nodes when given. */
  async run(storyId: number, target: AutoTarget, call: CallContext, window?: number): Promise<StoryView> {
    if (this.#running.has(storyId)) throw new LongtaleError('INVALID_INPUT', 'This story is already writing itself.');
    this.#running.add(storyId);
    this.#pauseRequested.delete(storyId);
    const started = performance.now();
    let passages = 0;
    let words = 0;
    const targetPassages = 'passages' in target ? target.passages : null;
    const targetWords = 'words' in target ? target.words : null;
    try {
      while ((targetPassages === null || passages < targetPassages) && (targetWords === null || words < targetWords)) {
        if (this.#pauseRequested.has(storyId)) break;
        const model = await this.#parts.model(call);
        const current = this.#parts.contexts.nodeOrCurrent(storyId, undefined);
        const seed = this.#parts.settings(storyId).seed;
        const { choice } = await chooseNextPlan(model, current.shortMemory, current.plans, {
          seed: seed === undefined ? undefined : seed + passages,
          signal: call.signal,
        });
        const input: StepInput = current.plans.length === 3 ? { choice } : { plan: 'Continue the story.' };
        // Each step needs only its new node back, so it reads a window of one, not the whole path.
        const view = await this.#parts.step(storyId, current.id, input, call, 1);
        const node = view.path.at(-1);
        if (!node) break;
        passages += 1;
        words += countWords(node.passage);
        const seconds = (performance.now() - started) / 1000;
        const fractionDone = Math.max(
          targetPassages === null ? 0 : passages / targetPassages,
          targetWords === null ? 0 : words / targetWords,
        );
        call.emit({
          kind: 'progress',
          passages,
          words,
          targetPassages,
          targetWords,
          secondsLeft: fractionDone > 0 ? Math.max(0, (seconds / fractionDone) * (1 - fractionDone)) : null,
          node,
        });
      }
      return this.#parts.open(storyId, window);
    } finally {
      this.#running.delete(storyId);
      this.#pauseRequested.delete(storyId);
    }
  }

  pause(storyId: number): { paused: boolean } {
    if (!this.#running.has(storyId)) return { paused: false };
    this.#pauseRequested.add(storyId);
    return { paused: true };
  }
}
