import type {
  AutoTarget,
  CallEvent,
  Fact,
  Instruction,
  NewStory,
  PromptPreview,
  StepInput,
  StoryNode,
  StorySummary,
  StoryView,
  TextSurprisal,
  TreeNode,
} from '../contract/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { LongtaleError } from '../contract/index.js';
import { carryUserEntries } from '../memory/surprisal/carryUserEntries.js';
import { countWords } from '../store/countWords.js';
import type { Store } from '../store/openStore.js';
import { planBudgets } from '../story/budgets.js';
import { chooseNextPlan } from '../story/chooseNextPlan.js';
import type { GenerationSettings } from '../story/GenerationSettings.js';
import { nextPromptStart } from '../story/nextPromptStart.js';
import { passagePrompt } from '../story/passagePrompt.js';
import type { StepContext } from '../story/StepContext.js';
import type { TextModel } from '../story/TextModel.js';
import { writeOpening } from '../story/writeOpening.js';
import { rememberPassage, writeStep } from '../story/writeStep.js';
import type { StepCallbacks } from '../story/WrittenNode.js';
import type { EmbedderHost } from './EmbedderHost.js';
import { KeyMemoryService } from './KeyMemoryService.js';
import type { ModelHost } from './ModelHost.js';
import { PassageVectors } from './PassageVectors.js';
import { StoryQueue } from './StoryQueue.js';
import { hasSessions, type RestoreReport, type StorySession } from './StorySession.js';

export interface CallContext {
  emit(event: CallEvent): void;
  signal: AbortSignal;
}

/** Passages handed to the repetition check. */
const RECENT_PASSAGES = 3;

/**
 * The story operations behind the API: each reads what it needs from the store, lets the story code write,
 * and commits the result in one transaction. Operations on one story run one at a time.
 */
export class StoryService {
  readonly #store: Store;
  readonly #models: ModelHost;
  readonly #readSettings: () => GenerationSettings;
  readonly #queue = new StoryQueue();
  /** Stories with an auto run that should stop after its current passage. */
  readonly #pauseRequested = new Set<number>();
  readonly #autoRunning = new Set<number>();
  /** Vectors of passages and vector retrieval; inert without an embedding model. */
  readonly #vectors: PassageVectors | undefined;
  /** Where the model keeps KV state files, one folder per story; none: no states are kept. */
  readonly #stateDir: string | undefined;
  /** Saves of KV states still queued behind the model's work (tests and the bench wait for them). */
  #saving: Promise<unknown> = Promise.resolve();
  /** The surprisal memory in the user's hands: pin, edit, forget, add; and the per-token heatmap. */
  readonly memory: KeyMemoryService;

  /** Given as a function, `settings` is read at each use: a change made through the API applies from the next operation. */
  constructor(
    store: Store,
    models: ModelHost,
    settings: GenerationSettings | (() => GenerationSettings),
    options: { embedder?: EmbedderHost; stateDir?: string } = {},
  ) {
    this.#store = store;
    this.#stateDir = options.stateDir;
    this.#models = models;
    this.#readSettings = typeof settings === 'function' ? settings : () => settings;
    this.#vectors = options.embedder && new PassageVectors(store, options.embedder);
    this.memory = new KeyMemoryService(store, this.#queue, (signal) => models.get(signal), this.#readSettings);
  }

  get #settings(): GenerationSettings {
    return this.#readSettings();
  }

  /** Surprisal of each token of `text` after the model's BOS and `context`: where a draft surprises the model. */
  async scoreText(text: string, context: string | undefined, call: CallContext): Promise<TextSurprisal> {
    const model = await this.#model(call);
    const scored = await model.scoreText(text, context ?? '', { signal: call.signal });
    return { tokens: scored.tokens.map(({ text: t, surprisal }) => ({ text: t, surprisal })), meanSurprisal: scored.meanSurprisal };
  }

  list(): StorySummary[] {
    return this.#store.stories.list();
  }

  /** With `window`, only the end of the path is read: a long story opens as fast as a short one, even cold. */
  open(storyId: number, nodeId?: number, window?: number): StoryView {
    return this.#store.stories.open(storyId, nodeId, window);
  }

  /** Nodes `start` to `end` (exclusive) of the path to `nodeId`: a long story's earlier passages, as the reader scrolls. */
  pathRange(storyId: number, nodeId: number, start: number, end: number): { start: number; nodes: StoryNode[] } {
    this.#store.stories.node(storyId, nodeId); // NODE_NOT_FOUND unless the node is in this story
    return { start, nodes: this.#store.stories.pathRange(nodeId, start, end) };
  }

  rename(storyId: number, title: string, window?: number): StoryView {
    this.#store.stories.rename(storyId, title);
    return this.open(storyId, undefined, window);
  }

  async create(request: NewStory, call: CallContext): Promise<StoryView> {
    const model = await this.#model(call);
    // A missing embedding model is reported before the opening is written, not after.
    await this.#vectors?.embedder();
    call.emit({ kind: 'phase', phase: 'planning' });
    const opening = await writeOpening(model, request, this.#settings, this.#callbacks(call));
    const vector = await this.#vectors?.vectorFor(opening.root, call.signal);
    call.emit({ kind: 'phase', phase: 'saving' });
    const view = this.#commit(vector, () =>
      this.#store.stories.create({
        title: opening.title,
        premise: request.premise,
        genre: request.genre,
        style: request.style,
        outline: opening.outline,
        root: opening.root,
      }),
      committedNode,
    );
    this.#keepState(model, view);
    return view;
  }

  /**
   * Writes the next passage. With `window` (as for every view below), the view holds only the end of the path, and
   * neither the step nor its view reads the rest: the first step after a cold windowed open stays as fast.
   */
  step(storyId: number, fromNodeId: number | undefined, input: StepInput, call: CallContext, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const from = this.#nodeOrCurrent(storyId, fromNodeId);
      return this.#writeAfter(storyId, from, toInstruction(input, from), call, window);
    });
  }

  /** A new sibling of `nodeId`, written from the same instruction. */
  retry(storyId: number, nodeId: number, call: CallContext, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const node = this.#store.stories.node(storyId, nodeId);
      if (node.parentId === null) {
        throw new LongtaleError('INVALID_INPUT', 'The first passage cannot be retried; start a new story from the premise instead.');
      }
      const parent = this.#store.stories.node(storyId, node.parentId);
      return this.#writeAfter(storyId, parent, node.instruction, call, window);
    });
  }

  undo(storyId: number, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => this.#store.stories.undo(storyId, window));
  }

  redo(storyId: number, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => this.#store.stories.redo(storyId, window));
  }

  tree(storyId: number): TreeNode[] {
    return this.#store.stories.tree(storyId);
  }

  checkout(storyId: number, nodeId: number, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => this.#store.stories.checkout(storyId, nodeId, window));
  }

  editPassage(storyId: number, nodeId: number, passage: string, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const { summary } = this.#store.stories.node(storyId, nodeId);
      const vector = await this.#vectors?.vectorFor({ passage, summary });
      return this.#commit(vector, () => this.#store.stories.editPassage(storyId, nodeId, passage, window), () => ({ storyId, nodeId }));
    });
  }

  /** Embeds every passage of the story that has no vector for the configured embedding model yet. */
  reindex(storyId: number, call: CallContext): Promise<{ embedded: number }> {
    return this.#queue.run(storyId, async () => {
      if (!this.#vectors || !(await this.#vectors.embedder())) {
        throw new LongtaleError('INVALID_INPUT', 'No embedding model is configured: name one with --embedding-model.');
      }
      this.#store.stories.open(storyId);
      return { embedded: await this.#vectors.reindex(storyId, call.signal) };
    });
  }

  editMemory(
    storyId: number,
    nodeId: number,
    edit: { shortMemory?: string; plans?: { label: string; text: string }[] },
    window?: number,
  ): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      this.#store.stories.updateState(storyId, nodeId, edit);
      return this.#store.stories.open(storyId, undefined, window);
    });
  }

  /**
   * After an edit: recompute memory, summary, plans, surprisal memory and token scores of `nodeId` and then of each
   * descendant on the current path, in order, each from its parent's fresh state. Passages stay as they are; what
   * the user pinned or added to a node's surprisal memory stays too.
   */
  recompute(storyId: number, nodeId: number, call: CallContext): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const model = await this.#model(call);
      const view = this.#store.stories.open(storyId);
      const start = view.path.findIndex((n) => n.id === nodeId);
      const nodes = start === -1 ? [this.#store.stories.node(storyId, nodeId)] : view.path.slice(start);
      for (const node of nodes) {
        call.emit({ kind: 'phase', phase: 'remembering' });
        const parent = node.parentId === null ? null : this.#store.stories.node(storyId, node.parentId);
        const context = await this.#context(storyId, parent, node.instruction, call.signal);
        const remembered = await rememberPassage(model, context, node.passage, this.#settings, call.signal);
        const own = new Set(remembered.ownEntryIds);
        const recomputed = remembered.keyMemory.map((e) => (own.has(e.id) ? { ...e, sourceNode: node.id } : e));
        const vector = await this.#vectors?.vectorFor({ passage: node.passage, summary: remembered.summary }, call.signal);
        this.#commit(
          vector,
          () =>
            this.#store.stories.updateState(storyId, node.id, {
              summary: remembered.summary,
              shortMemory: remembered.shortMemory,
              plans: remembered.plans,
              keyMemory: carryUserEntries(node.keyMemory, recomputed, context.turn),
              tokens: remembered.tokens,
              stats: remembered.stats,
              stale: false,
            }),
          () => ({ storyId, nodeId: node.id }),
        );
      }
      return this.#store.stories.open(storyId);
    });
  }

  /** Writes unattended toward a target, choosing among the plans itself; stops early when paused or cancelled. */
  async auto(storyId: number, target: AutoTarget, call: CallContext, window?: number): Promise<StoryView> {
    if (this.#autoRunning.has(storyId)) throw new LongtaleError('INVALID_INPUT', 'This story is already writing itself.');
    this.#autoRunning.add(storyId);
    this.#pauseRequested.delete(storyId);
    const started = performance.now();
    let passages = 0;
    let words = 0;
    const targetPassages = 'passages' in target ? target.passages : null;
    const targetWords = 'words' in target ? target.words : null;
    try {
      while ((targetPassages === null || passages < targetPassages) && (targetWords === null || words < targetWords)) {
        if (this.#pauseRequested.has(storyId)) break;
        const model = await this.#model(call);
        const current = this.#nodeOrCurrent(storyId, undefined);
        const { choice } = await chooseNextPlan(model, current.shortMemory, current.plans, {
          seed: this.#settings.seed === undefined ? undefined : this.#settings.seed + passages,
          signal: call.signal,
        });
        const input: StepInput = current.plans.length === 3 ? { choice } : { plan: 'Continue the story.' };
        const view = await this.step(storyId, current.id, input, call, 1);
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
      return this.#store.stories.open(storyId, undefined, window);
    } finally {
      this.#autoRunning.delete(storyId);
      this.#pauseRequested.delete(storyId);
    }
  }

  pause(storyId: number): { paused: boolean } {
    if (!this.#autoRunning.has(storyId)) return { paused: false };
    this.#pauseRequested.add(storyId);
    return { paused: true };
  }

  async preview(storyId: number, fromNodeId: number | undefined, input: StepInput | undefined, call: CallContext): Promise<PromptPreview> {
    const model = await this.#model(call);
    const from = this.#nodeOrCurrent(storyId, fromNodeId);
    const instruction = toInstruction(input ?? { choice: 1 }, from);
    const budgets = planBudgets(model, this.#settings);
    const { assembled, budget } = passagePrompt(model, await this.#context(storyId, from, instruction, call.signal), budgets);
    return {
      text: assembled.text,
      tokens: assembled.tokens,
      budget,
      sections: assembled.sections.map((s) => ({ id: s.id, title: s.title, tokens: s.tokens, droppedItems: s.droppedItems, cut: s.cut })),
    };
  }

  facts(storyId: number): Fact[] {
    return this.#store.stories.facts(storyId);
  }

  addFact(storyId: number, text: string): Fact[] {
    this.#store.stories.addFact(storyId, text);
    return this.facts(storyId);
  }

  editFact(storyId: number, factId: number, text: string): Fact[] {
    this.#store.stories.editFact(storyId, factId, text);
    return this.facts(storyId);
  }

  removeFact(storyId: number, factId: number): Fact[] {
    this.#store.stories.removeFact(storyId, factId);
    return this.facts(storyId);
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
  forgetState(storyId: number): void {
    const model = this.#models.current;
    if (model && hasSessions(model)) this.#track(model.session(String(storyId)).forget());
    if (this.#stateDir) fs.rmSync(path.join(this.#stateDir, String(storyId)), { recursive: true, force: true });
  }

  /**
   * After a commit: reads the start of the next prompt from the new node into the story's cache and saves that
   * state, so continuing later (even after a restart) skips reading it. Queued behind the model's work; the
   * caller does not wait. The next prompt is built for the first plan, the likeliest continuation.
   */
  #keepState(model: TextModel, view: StoryView): void {
    const node = view.path.at(-1);
    if (!this.#stateDir || !node || !hasSessions(model)) return;
    const session = model.session(String(view.story.id));
    const work = (async () => {
      const instruction = toInstruction(node.plans.length > 0 ? { choice: 1 } : { plan: 'Continue the story.' }, node);
      const context = await this.#context(view.story.id, node, instruction);
      await session.keep(node.id, nextPromptStart(session, context, planBudgets(session, this.#settings)));
    })();
    this.#track(work.catch((error: unknown) => console.warn(`[engine] saving the KV state of story ${view.story.id} failed:`, error)));
  }

  #track(work: Promise<unknown>): void {
    this.#saving = Promise.all([this.#saving, work.catch(() => undefined)]);
  }

  /** The story's own view of the model when it keeps a cache per story, with the saved state of `from` offered. */
  #sessionFor(model: TextModel, storyId: number, from: StoryNode): TextModel | StorySession {
    if (!hasSessions(model)) return model;
    const session = model.session(String(storyId));
    session.resumeFrom(from.id);
    return session;
  }

  async #writeAfter(storyId: number, from: StoryNode, instruction: Instruction, call: CallContext, window?: number): Promise<StoryView> {
    const base = await this.#model(call);
    const model = this.#sessionFor(base, storyId, from);
    const context = await this.#context(storyId, from, instruction, call.signal);
    const recent = this.#store.stories.open(storyId, from.id, RECENT_PASSAGES).path.map((n) => n.passage);
    const written = await writeStep(model, context, this.#settings, recent, this.#callbacks(call));
    const vector = await this.#vectors?.vectorFor(written, call.signal);
    if (call.signal.aborted) throw new LongtaleError('CANCELLED', 'Writing was stopped.');
    call.emit({ kind: 'phase', phase: 'saving' });
    const view = this.#commit(vector, () => this.#store.stories.addNode(storyId, from.id, written, { window }), committedNode);
    this.#keepState(base, view);
    const restore = hasSessions(base) ? base.session(String(storyId)).restore : null;
    if (restore?.refused && restore.node === from.id) console.warn(`[engine] story ${storyId}: ${restore.reason}`);
    return view;
  }

  /** A store write and the vector of the node it commits, in one transaction (just the write without a vector). */
  #commit<T>(vector: Float32Array | undefined, write: () => T, nodeOf: (result: T) => { storyId: number; nodeId: number }): T {
    return this.#vectors && vector ? this.#vectors.commit(vector, write, nodeOf) : write();
  }

  async #context(storyId: number, from: StoryNode | null, instruction: Instruction, signal?: AbortSignal): Promise<StepContext> {
    // Only the last node is read: the turn is the length of the whole path, which pathStart gives.
    const { story, path, pathStart = 0 } = this.#store.stories.open(storyId, from?.id, 1);
    const query = 'text' in instruction ? instruction.text : story.premise;
    const options = { limit: this.#settings.relatedPassages, excludeRecent: 1 };
    const related = !from
      ? []
      : this.#vectors
        ? await this.#vectors.search(storyId, from.id, query, options, signal)
        : this.#store.passages.search(storyId, from.id, query, options);
    const embedder = await this.#vectors?.embedder();
    return {
      ...(embedder ? { embedder } : {}),
      story: { title: story.title, premise: story.premise, genre: story.genre, style: story.style, outline: story.outline },
      facts: this.#store.stories.facts(storyId).map((f) => f.text),
      previous: from ? { passage: from.passage, shortMemory: from.shortMemory, keyMemory: from.keyMemory } : null,
      related: related.map((r) => ({ passage: r.passage, summary: r.summary })),
      instruction,
      // The new node lies one below `from`, whose path from the root has path.length nodes.
      turn: from ? pathStart + path.length : 0,
    };
  }

  #nodeOrCurrent(storyId: number, nodeId: number | undefined): StoryNode {
    if (nodeId !== undefined) return this.#store.stories.node(storyId, nodeId);
    const current = this.#store.stories.open(storyId, undefined, 1).path.at(-1);
    if (!current) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
    return current;
  }

  async #model(call: CallContext) {
    if (!this.#models.loaded) call.emit({ kind: 'phase', phase: 'loading-model' });
    return this.#models.get(call.signal);
  }

  #callbacks(call: CallContext): StepCallbacks {
    return {
      signal: call.signal,
      onText: (text) => call.emit({ kind: 'token', text, sentAt: performance.timeOrigin + performance.now() }),
      onRestart: () => call.emit({ kind: 'restart' }),
      onPhase: (phase) => call.emit({ kind: 'phase', phase }),
    };
  }
}

/** The node a write returning its view committed (a new story's root, a new step). */
function committedNode(view: StoryView): { storyId: number; nodeId: number } {
  return { storyId: view.story.id, nodeId: view.currentNodeId };
}

/** Turns what the user chose into the instruction the passage is written from. */
function toInstruction(input: StepInput, from: StoryNode): Instruction {
  if ('plan' in input) return { kind: 'plan', text: input.plan };
  if ('action' in input) return { kind: 'action', text: input.action };
  const plan = from.plans[input.choice - 1];
  if (!plan) throw new LongtaleError('INVALID_INPUT', `Passage ${from.id} offers ${from.plans.length} plans; there is no plan ${input.choice}.`);
  return { kind: 'choice', choice: input.choice, text: plan.text };
}
