import { z } from 'zod';
import { CheckQuestion, type ContinuityCheck, type SavedCheck } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { Store } from '../store/openStore.js';
import { planBudgets } from '../story/budgets.js';
import type { SettingsFor } from '../story/GenerationSettings.js';
import { answerSurprisal, probePrompt, replyTo } from '../story/probeMemory.js';
import type { TextModel } from '../story/TextModel.js';
import type { CallContext } from './StoryService.js';
import type { StepContexts } from './StepContexts.js';
import type { StoryQueue } from './StoryQueue.js';

export interface ContinuityRequest {
  nodeId?: number;
  question: string;
  answer: string;
  /** Passages to check along the path, ending with the one asked about. */
  points?: number;
}

/**
 * Continuity checks (SirLLM's key-recall probes, for authors): a question about the story and the answer the author
 * expects, measured as the model reads the story at a passage (bible, memory, the passages retrieved for the
 * question, the previous passage) against the bible alone. Where the memory still carries a detail, the answer is
 * much likelier with it; a point along the path where that advantage goes is where the story forgot. Runs on the
 * model's shared sequence, so the story's own (holding the next step's prompt) is left alone.
 */
export class ContinuityService {
  readonly #store: Store;
  readonly #queue: StoryQueue;
  readonly #contexts: StepContexts;
  readonly #model: (call: CallContext) => Promise<TextModel>;
  readonly #settings: SettingsFor;

  constructor(options: {
    store: Store;
    queue: StoryQueue;
    contexts: StepContexts;
    model: (call: CallContext) => Promise<TextModel>;
    settings: SettingsFor;
  }) {
    this.#store = options.store;
    this.#queue = options.queue;
    this.#contexts = options.contexts;
    this.#model = options.model;
    this.#settings = options.settings;
  }

  check(storyId: number, request: ContinuityRequest, call: CallContext): Promise<ContinuityCheck> {
    return this.#queue.run(storyId, async () => {
      const node = this.#contexts.nodeOrCurrent(storyId, request.nodeId);
      const path = this.#store.stories.pathIds(node.id);
      const model = await this.#model(call);
      const budgets = planBudgets(model, this.#settings(storyId));
      const { question, answer } = request;
      const instruction = { kind: 'plan', text: question } as const;
      const points = [];
      let answerTokens = 0;
      let baselineNats = 0;
      let reply = '';
      for (const index of spread(path.length, request.points ?? 1)) {
        if (call.signal.aborted) throw new LongtaleError('CANCELLED', 'The check was stopped.');
        const at = index === path.length - 1 ? node : this.#store.stories.node(storyId, path[index] as number);
        // Retrieval goes by the question: the earlier passages that answer it are the ones to bring back.
        const context = await this.#contexts.build(storyId, at, instruction, call.signal);
        if (points.length === 0) {
          const baseline = await answerSurprisal(model, probePrompt(model, context, budgets, question, false), answer, call.signal);
          ({ nats: baselineNats, tokens: answerTokens } = baseline);
        }
        const prompt = probePrompt(model, context, budgets, question, true);
        const { nats } = await answerSurprisal(model, prompt, answer, call.signal);
        points.push({ nodeId: at.id, position: index + 1, nats });
        if (at === node) reply = await replyTo(model, prompt, call.signal);
      }
      return { question, answer, answerTokens, baselineNats, points, reply };
    });
  }

  /** The checks kept with the story, to put to it again as it grows. */
  saved(storyId: number): SavedCheck[] {
    return this.#store.checks.list(storyId);
  }

  save(storyId: number, question: string, answer: string): SavedCheck[] {
    const checked = z.object(CheckQuestion).parse({ question, answer });
    return this.#store.checks.add(storyId, checked.question, checked.answer);
  }

  forget(storyId: number, checkId: number): SavedCheck[] {
    return this.#store.checks.remove(storyId, checkId);
  }

  /**
   * Every saved check at `nodeId` (default: the current passage), in order, each reported (`checked`) as it
   * finishes; stopping stops them all.
   */
  async checkSaved(storyId: number, nodeId: number | undefined, call: CallContext): Promise<{ id: number; check: ContinuityCheck }[]> {
    const results = [];
    for (const { id, question, answer } of this.saved(storyId)) {
      const check = await this.check(storyId, { nodeId, question, answer }, call);
      call.emit({ kind: 'checked', id, check });
      results.push({ id, check });
    }
    return results;
  }
}

/** `count` indexes of a path of `length` spread evenly and ending with its last (all of them when it is shorter). */
export function spread(length: number, count: number): number[] {
  const n = Math.max(1, Math.min(length, count));
  return Array.from({ length: n }, (_, k) => Math.round(((k + 1) * length) / n) - 1);
}
