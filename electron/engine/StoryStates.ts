import fs from 'node:fs';
import path from 'node:path';
import type { StoryNode, StoryView } from '../contract/index.js';
import type { SettingsFor } from '../story/GenerationSettings.js';
import { planBudgets } from '../story/budgets.js';
import { passagePrompt } from '../story/passagePrompt.js';
import type { StepContext } from '../story/StepContext.js';
import type { Conversation, TextModel } from '../story/TextModel.js';
import type { ModelHost } from './ModelHost.js';
import { promptKey } from './promptKey.js';
import type { StepContexts } from './StepContexts.js';
import { hasSessions, type RestoreReport, type StorySession } from './StorySession.js';
import { likeliestInput, toInstruction } from './toInstruction.js';

/**
 * Each open story's own cache on the model and its KV state files: the saved state of a node is offered to the
 * step continuing it, and after each commit the next prompt's start is read ahead and saved.
 */
export class StoryStates {
  readonly #models: ModelHost;
  readonly #contexts: StepContexts;
  readonly #settings: SettingsFor;
  /** Where the model keeps KV state files, one folder per story; none: no states are kept. */
  readonly #stateDir: string | undefined;
  /** Saves of KV states still queued behind the model's work (tests and the bench wait for them). */
  #saving: Promise<unknown> = Promise.resolve();
  /** Prompt tokens read ahead after each node was committed, by story and node. */
  readonly #readAhead = new Map<string, number>();

  constructor(models: ModelHost, contexts: StepContexts, settings: SettingsFor, stateDir: string | undefined) {
    this.#models = models;
    this.#contexts = contexts;
    this.#settings = settings;
    this.#stateDir = stateDir;
  }

  /** The story's own view of the model when it keeps a cache per story, with the saved state of `from` offered. */
  sessionFor(model: TextModel, storyId: number, from: StoryNode): TextModel | StorySession {
    if (!hasSessions(model)) return model;
    const session = model.session(String(storyId));
    session.resumeFrom(from.id);
    return session;
  }

  /**
   * After a commit: reads the next prompt from the new node into the story's cache and saves that state, so
   * continuing later (even after a restart) skips reading it. Queued behind the model's work; the caller does not
   * wait. The prompt is built for the first plan, the likeliest continuation, which then reads nothing but its
   * first token; any other choice shares it up to the instruction (StepContexts retrieves by all three plans).
   */
  keep(model: TextModel, view: StoryView): void {
    const node = view.path.at(-1);
    if (!this.#stateDir || !node || !hasSessions(model)) return;
    const storyId = view.story.id;
    const session = model.session(String(storyId));
    const work = (async () => {
      const context = await this.#contexts.build(storyId, node, toInstruction(likeliestInput(node), node));
      const budgets = planBudgets(session, this.#settings(storyId));
      const { conversation } = passagePrompt(session, context, budgets);
      const kept = await session.keep(node.id, conversation, promptKey(context, budgets, session));
      this.#readAhead.set(`${storyId}:${node.id}`, kept.readTokens);
    })();
    this.#track(work.catch((error: unknown) => console.warn(`[engine] saving the KV state of story ${storyId} failed:`, error)));
  }

  /**
   * The prompt read ahead after `from` was committed, when `context` is exactly what it was built from (same
   * story, facts, memory, retrieved passages, instruction, settings and model); null otherwise. Continuing a story
   * with its likeliest choice after a restart then neither builds nor counts that prompt again.
   */
  savedPrompt(model: TextModel | StorySession, storyId: number, from: StoryNode, context: StepContext): Conversation | null {
    if (!('savedPrompt' in model)) return null;
    const saved = model.savedPrompt(from.id);
    if (!saved) return null;
    return saved.key === promptKey(context, planBudgets(model, this.#settings(storyId)), model) ? saved.conversation : null;
  }

  /**
   * Prompt tokens the model read ahead after `nodeId` was committed (0 when nothing was, or not yet): evaluation
   * the step caused outside its own stats.
   */
  readAheadTokens(storyId: number, nodeId: number): number {
    return this.#readAhead.get(`${storyId}:${nodeId}`) ?? 0;
  }

  /** Warns when the story's last step found a saved state it could not use. */
  reportRefusal(model: TextModel, storyId: number, from: StoryNode): void {
    const restore = hasSessions(model) ? model.session(String(storyId)).restore : null;
    if (restore?.refused && restore.node === from.id) console.warn(`[engine] story ${storyId}: ${restore.reason}`);
  }

  /** What offering the saved KV state to the story's last step came to; null if none was offered. */
  lastRestore(storyId: number): RestoreReport | null {
    const model = this.#models.current;
    return model && hasSessions(model) ? model.session(String(storyId)).restore : null;
  }

  /** Resolves once every KV state save queued so far has finished (or failed). */
  settled(): Promise<void> {
    return this.#saving.then(() => undefined);
  }

  /** Forgets the story's KV cache and state files (it was deleted). */
  forget(storyId: number): void {
    const model = this.#models.current;
    if (model && hasSessions(model)) this.#track(model.session(String(storyId)).forget());
    if (this.#stateDir) fs.rmSync(path.join(this.#stateDir, String(storyId)), { recursive: true, force: true });
  }

  #track(work: Promise<unknown>): void {
    this.#saving = Promise.all([this.#saving, work.catch(() => undefined)]);
  }
}
