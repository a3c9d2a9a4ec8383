import type {
  AutoTarget,
  CallEvent,
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
import { LongtaleError } from '../contract/index.js';
import type { Store } from '../store/openStore.js';
import { alternativesAt } from '../story/alternativesAt.js';
import { planBudgets } from '../story/budgets.js';
import type { GenerationSettings, SettingsFor } from '../story/GenerationSettings.js';
import { passagePrompt } from '../story/passagePrompt.js';
import { writeOpening } from '../story/writeOpening.js';
import { writeStep } from '../story/writeStep.js';
import type { TokenCandidate } from '../story/TextModel.js';
import type { StepCallbacks } from '../story/WrittenNode.js';
import { AutoWriter } from './AutoWriter.js';
import type { EmbedderHost } from './EmbedderHost.js';
import { ContinuityService } from './ContinuityService.js';
import { FactsService } from './FactsService.js';
import { KeyMemoryService } from './KeyMemoryService.js';
import type { ModelHost } from './ModelHost.js';
import { PassageVectors } from './PassageVectors.js';
import { recomputePath } from './recomputeNode.js';
import { StepContexts } from './StepContexts.js';
import { StoryQueue } from './StoryQueue.js';
import { StoryStates } from './StoryStates.js';
import type { RestoreReport } from './StorySession.js';
import { toInstruction } from './toInstruction.js';
import { TextImport } from './TextImport.js';
import { toFlatSettings, withFlatSettings } from './flatSettings.js';

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
  readonly #settings: SettingsFor;
  readonly #queue = new StoryQueue();
  /** Vectors of passages and vector retrieval; inert without an embedding model. */
  readonly #vectors: PassageVectors | undefined;
  readonly #contexts: StepContexts;
  readonly #states: StoryStates;
  readonly #auto: AutoWriter;
  /** The surprisal memory in the user's hands: pin, edit, forget, add; and the per-token heatmap. */
  readonly memory: KeyMemoryService;
  /** The story bible's pinned facts, and names suggested for it. */
  readonly facts: FactsService;
  /** Questions put to the story's memory: does it still carry what the author expects? */
  readonly continuity: ContinuityService;
  /** Stories made of the author's own text, to continue. */
  readonly texts: TextImport;

  /** Given as a function, `settings` is read at each use, per story: a change made through the API applies from the next operation. */
  constructor(
    store: Store,
    models: ModelHost,
    settings: GenerationSettings | SettingsFor,
    options: { embedder?: EmbedderHost; stateDir?: string } = {},
  ) {
    this.#store = store;
    this.#models = models;
    this.#settings = typeof settings === 'function' ? settings : () => settings;
    this.#vectors = options.embedder && new PassageVectors(store, options.embedder);
    this.#contexts = new StepContexts(store, this.#vectors, this.#settings);
    this.#states = new StoryStates(models, this.#contexts, this.#settings, options.stateDir);
    this.#auto = new AutoWriter({
      contexts: this.#contexts,
      settings: this.#settings,
      model: (call) => this.#model(call),
      step: (storyId, fromNodeId, input, call, window) => this.step(storyId, fromNodeId, input, call, window),
      open: (storyId, window) => this.#store.stories.open(storyId, undefined, window),
    });
    this.memory = new KeyMemoryService(store, this.#queue, (signal) => models.get(signal), this.#settings);
    this.facts = new FactsService(store);
    this.continuity = new ContinuityService({
      store,
      queue: this.#queue,
      contexts: this.#contexts,
      model: (call) => this.#model(call),
      settings: this.#settings,
    });
    this.texts = new TextImport({ store, model: (call) => this.#model(call), settings: this.#settings, recompute: (s, n, call) => this.recompute(s, n, call) });
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
    const settings = request.settings ? withFlatSettings(this.#settings(), request.settings) : this.#settings();
    const opening = await writeOpening(model, request, settings, this.#callbacks(call));
    opening.root.stats = { ...opening.root.stats, settings: toFlatSettings(settings) };
    const vector = await this.#vectors?.vectorFor(opening.root, call.signal);
    call.emit({ kind: 'phase', phase: 'saving' });
    const view = this.#commit(vector, () =>
      this.#store.stories.create({
        title: opening.title,
        premise: request.premise,
        genre: request.genre,
        style: request.style,
        outline: opening.outline,
        settings: request.settings,
        root: opening.root,
      }),
      committedNode,
    );
    this.#states.keep(model, view);
    return view;
  }

  /**
   * Writes the next passage. With `window` (as for every view below), the view holds only the end of the path, and
   * neither the step nor its view reads the rest: the first step after a cold windowed open stays as fast.
   */
  step(storyId: number, fromNodeId: number | undefined, input: StepInput, call: CallContext, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const from = this.#contexts.nodeOrCurrent(storyId, fromNodeId);
      return this.#writeAfter(storyId, from, toInstruction(input, from), call, window);
    });
  }

  /** A new sibling of `nodeId`, written from the same instruction. */
  retry(storyId: number, nodeId: number, call: CallContext, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const { parent, node } = this.#rewritable(storyId, nodeId);
      return this.#writeAfter(storyId, parent, node.instruction, call, window);
    });
  }

  /**
   * A new sibling of `nodeId` that keeps its passage up to `offset`, puts `text` there (one of the alternatives, or
   * the author's own words) and lets the model write on from it; memory and plans follow as after any passage.
   */
  rewriteFrom(storyId: number, nodeId: number, offset: number, text: string, call: CallContext, window?: number): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const { parent, node } = this.#rewritable(storyId, nodeId, offset);
      return this.#writeAfter(storyId, parent, node.instruction, call, window, `${node.passage.slice(0, offset)}${text}`);
    });
  }

  /**
   * What else the model might have written at `offset` of the passage of `nodeId`: its likeliest next tokens
   * there, read in the prompt the passage is written from. Run on the model's shared sequence, so the story's own
   * (holding the next step's prompt) is left as it is.
   */
  alternatives(storyId: number, nodeId: number, offset: number, call: CallContext): Promise<TokenCandidate[]> {
    return this.#queue.run(storyId, async () => {
      const { parent, node } = this.#withParent(storyId, nodeId, offset);
      const model = await this.#model(call);
      const context = await this.#contexts.build(storyId, parent, node.instruction, call.signal);
      return alternativesAt(model, context, this.#settings(storyId), node.passage.slice(0, offset), call.signal);
    });
  }

  /** The node and its parent, for writing it another way; `offset`, when given, must fall within its passage. */
  #rewritable(storyId: number, nodeId: number, offset = 0): { node: StoryNode; parent: StoryNode } {
    const { node, parent } = this.#withParent(storyId, nodeId, offset);
    if (!parent) throw new LongtaleError('INVALID_INPUT', 'The first passage cannot be written again; start a new story from the premise instead.');
    return { node, parent };
  }

  /** The node and its parent (null for the first passage, written by the opening); `offset` must fall within its passage. */
  #withParent(storyId: number, nodeId: number, offset = 0): { node: StoryNode; parent: StoryNode | null } {
    const node = this.#store.stories.node(storyId, nodeId);
    if (offset > node.passage.length) {
      throw new LongtaleError('INVALID_INPUT', `The passage has ${node.passage.length} characters; there is no character ${offset}.`);
    }
    return { node, parent: node.parentId === null ? null : this.#store.stories.node(storyId, node.parentId) };
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
        const failure = this.#vectors?.failure;
        if (failure) throw new LongtaleError(failure.code, failure.message);
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
   * descendant on the current path, in order, each from its parent's fresh state, reporting progress after each.
   * Passages stay as they are; what the user pinned or added to a node's surprisal memory stays too.
   */
  recompute(storyId: number, nodeId: number, call: CallContext): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const model = await this.#model(call);
      const view = this.#store.stories.open(storyId);
      const start = view.path.findIndex((n) => n.id === nodeId);
      const nodes = start === -1 ? [this.#store.stories.node(storyId, nodeId)] : view.path.slice(start);
      const parts = {
        store: this.#store,
        contexts: this.#contexts,
        settings: this.#settings(storyId),
        vectors: this.#vectors,
        commit: (vector: Float32Array | undefined, write: () => void, nodeOf: () => { storyId: number; nodeId: number }) =>
          this.#commit(vector, write, nodeOf),
      };
      await recomputePath(parts, model, storyId, nodes, call);
      return this.#store.stories.open(storyId);
    });
  }

  /** Writes unattended toward a target, choosing among the plans itself; stops early when paused or cancelled. */
  auto(storyId: number, target: AutoTarget, call: CallContext, window?: number): Promise<StoryView> {
    return this.#auto.run(storyId, target, call, window);
  }

  pause(storyId: number): { paused: boolean } {
    return this.#auto.pause(storyId);
  }

  async preview(storyId: number, fromNodeId: number | undefined, input: StepInput | undefined, call: CallContext): Promise<PromptPreview> {
    const from = this.#contexts.nodeOrCurrent(storyId, fromNodeId);
    return this.#previewOf(storyId, from, toInstruction(input ?? { choice: 1 }, from), call);
  }

  /** The prompt the passage of `nodeId` is written from, as its parent's state builds it now: what the model read. */
  async writtenFrom(storyId: number, nodeId: number, call: CallContext): Promise<PromptPreview> {
    const { parent, node } = this.#withParent(storyId, nodeId);
    return this.#previewOf(storyId, parent, node.instruction, call);
  }

  /** The passage prompt after `from` (the opening's, from the story's bible, when null). */
  async #previewOf(storyId: number, from: StoryNode | null, instruction: Instruction, call: CallContext): Promise<PromptPreview> {
    const model = await this.#model(call);
    const budgets = planBudgets(model, this.#settings(storyId));
    const { assembled, budget } = passagePrompt(model, await this.#contexts.build(storyId, from, instruction, call.signal), budgets);
    return {
      text: assembled.text,
      tokens: assembled.tokens,
      budget,
      sections: assembled.sections.map((s) => ({ id: s.id, title: s.title, tokens: s.tokens, droppedItems: s.droppedItems, cut: s.cut })),
    };
  }

  /** What offering the saved KV state to the story's last step came to; null if none was offered. */
  lastRestore(storyId: number): RestoreReport | null {
    return this.#states.lastRestore(storyId);
  }

  /** Prompt tokens read ahead after `nodeId` was committed: evaluation its step caused outside its own stats. */
  readAheadTokens(storyId: number, nodeId: number): number {
    return this.#states.readAheadTokens(storyId, nodeId);
  }

  /** Resolves once every KV state save queued so far has finished (or failed). */
  settled(): Promise<void> {
    return this.#states.settled();
  }

  /** Forgets the story's KV cache and state files (it was deleted). */
  forgetState(storyId: number): void {
    this.#states.forget(storyId);
  }

  async #writeAfter(
    storyId: number,
    from: StoryNode,
    instruction: Instruction,
    call: CallContext,
    window?: number,
    begin?: string,
  ): Promise<StoryView> {
    const base = await this.#model(call);
    const model = this.#states.sessionFor(base, storyId, from);
    const context = await this.#contexts.build(storyId, from, instruction, call.signal);
    const recent = this.#store.stories.open(storyId, from.id, RECENT_PASSAGES).path.map((n) => n.passage);
    const settings = this.#settings(storyId);
    const saved = this.#states.savedPrompt(model, storyId, from, context);
    const written = await writeStep(model, context, settings, recent, this.#callbacks(call), { saved: saved ?? undefined, begin });
    written.stats = { ...written.stats, settings: toFlatSettings(settings) };
    const vector = await this.#vectors?.vectorFor(written, call.signal);
    if (call.signal.aborted) throw new LongtaleError('CANCELLED', 'Writing was stopped.');
    call.emit({ kind: 'phase', phase: 'saving' });
    const view = this.#commit(vector, () => this.#store.stories.addNode(storyId, from.id, written, { window }), committedNode);
    this.#states.keep(base, view);
    this.#states.reportRefusal(base, storyId, from);
    return view;
  }

  /** A store write and the vector of the node it commits, in one transaction (just the write without a vector). */
  #commit<T>(vector: Float32Array | undefined, write: () => T, nodeOf: (result: T) => { storyId: number; nodeId: number }): T {
    return this.#vectors && vector ? this.#vectors.commit(vector, write, nodeOf) : write();
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
