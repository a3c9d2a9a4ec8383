import type { AutoTarget, CallEvent, MemoryKind, Plan, StepInput, StoryNode, StoryView } from '../../../electron/contract/index.js';
import type { Backend, CallOptions } from '../backend/Backend.js';
import { describe, isCancelled } from './describe.js';
import { Generation } from './Generation.svelte.js';

export type AutoProgress = Omit<Extract<CallEvent, { kind: 'progress' }>, 'kind' | 'node'>;

/** Nodes asked for with every view: the end of the story, the part a reader sees first. */
const WINDOW = 40;
/** Earlier nodes are fetched in blocks of this many as the reader scrolls back. */
const CHUNK = 100;

/**
 * One open story: the path from its beginning to the current passage, and everything that changes it. Every
 * change comes back from the engine as a new view; a failed or stopped call leaves the view as it was. Views
 * carry only the end of the path (WINDOW nodes): the earlier nodes are kept from before when the new view
 * continues the same path, and are otherwise fetched in blocks as the reader scrolls back (`loadRange`), so a
 * story of ten thousand passages opens, and writes, as fast as a short one.
 */
export class StoryState {
  #view = $state.raw<StoryView | null>(null);
  /** The whole path, by position; `undefined` where a node has not been fetched yet. */
  #path = $state.raw<(StoryNode | undefined)[]>([]);
  /** Bumped by every new view, so blocks fetched for an older one are not mixed in. */
  #epoch = 0;
  /** Blocks in flight, as "epoch:start"; bookkeeping only, nothing renders from it. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #fetching = new Set<string>();
  #error = $state<string | null>(null);
  #pending = $state(0);
  /** Bumped whenever the view changes, so the map and the prompt preview know to reload. */
  #revision = $state(0);

  readonly generation = new Generation();
  readonly #backend: Backend;
  readonly storyId: number;

  constructor(backend: Backend, storyId: number) {
    this.#backend = backend;
    this.storyId = storyId;
  }

  get view(): StoryView | null {
    return this.#view;
  }
  /** The whole path by position; nodes not fetched yet are `undefined` (see `loadRange`). */
  get path(): readonly (StoryNode | undefined)[] {
    return this.#path;
  }
  /** The passage the story stands at: the last of the path. */
  get current(): StoryNode | null {
    return this.#path.at(-1) ?? null;
  }
  get title(): string {
    return this.#view?.story.title ?? '';
  }
  get error(): string | null {
    return this.#error;
  }
  get revision(): number {
    return this.#revision;
  }
  /** Writing, or waiting for any other change: controls that change the story are disabled meanwhile. */
  get busy(): boolean {
    return this.generation.running || this.#pending > 0;
  }

  dismissError(): void {
    this.#error = null;
  }

  load(): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.open', { storyId: this.storyId, window: WINDOW }));
  }

  /** Fetches the nodes of positions `start` to `end` not yet here, in blocks; the list calls it as it scrolls. */
  loadRange(start: number, end: number): void {
    const tip = this.#view?.currentNodeId;
    if (tip === undefined) return;
    const epoch = this.#epoch;
    for (let block = Math.floor(start / CHUNK) * CHUNK; block < Math.min(end, this.#path.length); block += CHUNK) {
      const blockEnd = Math.min(block + CHUNK, this.#path.length);
      const name = `${epoch}:${block}`;
      if (this.#fetching.has(name) || !this.#path.slice(block, blockEnd).includes(undefined)) continue;
      this.#fetching.add(name);
      this.#backend
        .call('stories.path', { storyId: this.storyId, nodeId: tip, start: block, end: blockEnd })
        .then(({ start: at, nodes }) => {
          if (epoch !== this.#epoch) return;
          const path = [...this.#path];
          nodes.forEach((node, i) => (path[at + i] ??= node));
          this.#path = path;
        })
        // A block that failed is simply asked for again when it next scrolls into view.
        .catch(() => undefined)
        .finally(() => this.#fetching.delete(name));
    }
  }

  /** Writes the next passage from the current one: a choice (1–3), the author's plan, or the reader's action. */
  step(input: StepInput): Promise<boolean> {
    return this.#write((options) => this.#backend.call('stories.step', { storyId: this.storyId, input, window: WINDOW }, options));
  }

  /** Writes `nodeId` again from its instruction: a new sibling, which becomes current. */
  retry(nodeId: number | undefined = this.current?.id): Promise<boolean> {
    if (nodeId === undefined) return Promise.resolve(false);
    return this.#write((options) => this.#backend.call('stories.retry', { storyId: this.storyId, nodeId, window: WINDOW }, options));
  }

  /** A new sibling of `nodeId` that keeps its passage up to `offset`, puts `text` there, and writes on; it becomes current. */
  rewriteFrom(nodeId: number, offset: number, text: string): Promise<boolean> {
    return this.#write((options) =>
      this.#backend.call('nodes.rewriteFrom', { storyId: this.storyId, nodeId, offset, text, window: WINDOW }, options),
    );
  }

  /** Writes toward a target unattended; each committed passage joins the view as it lands. */
  auto(target: AutoTarget, onProgress: (progress: AutoProgress) => void): Promise<boolean> {
    return this.#write(
      (options) => this.#backend.call('stories.auto', { storyId: this.storyId, target, window: WINDOW }, options),
      (event) => {
        if (event.kind !== 'progress') return;
        const { node, kind: _kind, ...progress } = event;
        this.#append(node);
        onProgress(progress);
      },
    );
  }

  /** Asks a running auto-write to stop after the passage it is writing. */
  async pauseAuto(): Promise<boolean> {
    try {
      return (await this.#backend.call('stories.pause', { storyId: this.storyId })).paused;
    } catch (error) {
      this.#error = describe(error);
      return false;
    }
  }

  stop(): void {
    this.generation.stop();
  }

  undo(): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.undo', { storyId: this.storyId, window: WINDOW }));
  }

  redo(): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.redo', { storyId: this.storyId, window: WINDOW }));
  }

  checkout(nodeId: number): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.checkout', { storyId: this.storyId, nodeId, window: WINDOW }));
  }

  rename(title: string): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.rename', { storyId: this.storyId, title, window: WINDOW }));
  }

  editPassage(nodeId: number, passage: string): Promise<boolean> {
    return this.#change(() => this.#backend.call('nodes.editPassage', { storyId: this.storyId, nodeId, passage, window: this.#windowFrom(nodeId) }));
  }

  editMemory(nodeId: number, edit: { shortMemory?: string; plans?: Plan[] }): Promise<boolean> {
    return this.#change(() => this.#backend.call('nodes.editMemory', { storyId: this.storyId, nodeId, ...edit, window: this.#windowFrom(nodeId) }));
  }

  /** Adds a detail of the user's own to the surprisal memory of the current passage. */
  addMemoryEntry(text: string, kind: MemoryKind = 'user', pinned = true): Promise<boolean> {
    return this.#change(() => this.#backend.call('memory.add', { storyId: this.storyId, text, kind, pinned, window: WINDOW }));
  }

  /** Pins or unpins, rewrites, or changes the kind of an entry of the current passage's surprisal memory. */
  editMemoryEntry(entryId: string, edit: { text?: string; kind?: MemoryKind; pinned?: boolean }): Promise<boolean> {
    return this.#change(() => this.#backend.call('memory.edit', { storyId: this.storyId, entryId, ...edit, window: WINDOW }));
  }

  forgetMemoryEntry(entryId: string): Promise<boolean> {
    return this.#change(() => this.#backend.call('memory.forget', { storyId: this.storyId, entryId, window: WINDOW }));
  }

  /**
   * Deletes a passage and everything written after it; the engine refuses the first one and those on the path.
   * A node on the path may have lost a sibling, so the earlier nodes here are dropped and fetched again.
   */
  deleteBranch(nodeId: number): Promise<boolean> {
    return this.#change(() => this.#backend.call('nodes.delete', { storyId: this.storyId, nodeId, window: WINDOW }), false);
  }

  /** Recomputes memory and plans from `nodeId` down the current path, after an edit. */
  recompute(nodeId: number): Promise<boolean> {
    return this.#write((options) => this.#backend.call('nodes.recompute', { storyId: this.storyId, nodeId, window: this.#windowFrom(nodeId) }, options));
  }

  async #write(call: (options: CallOptions) => Promise<StoryView>, onEvent?: (event: CallEvent) => void): Promise<boolean> {
    if (this.busy) return false;
    this.#error = null;
    try {
      this.#show(await this.generation.run(call, onEvent));
      return true;
    } catch (error) {
      if (!isCancelled(error)) this.#error = describe(error);
      // Auto mode may have committed passages before it failed or was stopped: show what the engine has.
      if (onEvent) await this.#reloadQuietly();
      return false;
    }
  }

  async #change(call: () => Promise<StoryView>, keepEarlier = true): Promise<boolean> {
    if (this.generation.running) return false;
    this.#pending += 1;
    try {
      this.#show(await call(), keepEarlier);
      this.#error = null;
      return true;
    } catch (error) {
      this.#error = describe(error);
      return false;
    } finally {
      this.#pending -= 1;
    }
  }

  async #reloadQuietly(): Promise<void> {
    try {
      this.#show(await this.#backend.call('stories.open', { storyId: this.storyId, window: WINDOW }));
    } catch {
      // The error of the call itself is already shown.
    }
  }

  #append(node: StoryNode): void {
    const view = this.#view;
    if (!view || this.#path.at(-1)?.id !== node.parentId) return;
    this.#show({ ...view, currentNodeId: node.id, path: [node], pathStart: this.#path.length });
  }

  /**
   * A window wide enough to hold `nodeId` and its parent, for changes to that node and those after it: the nodes
   * before it stay as they are, so the ones already here are kept.
   */
  #windowFrom(nodeId: number): number {
    const at = this.#path.findIndex((node) => node?.id === nodeId);
    return at === -1 ? WINDOW : Math.max(WINDOW, this.#path.length - at + 1);
  }

  /**
   * Takes a new view. Its nodes replace the end of the path; the earlier ones already here are kept when the view
   * continues them (its first node's parent is the node before it: in a tree, the path to a node is the only one)
   * and the change cannot have touched them (`keepEarlier`).
   */
  #show(view: StoryView, keepEarlier = true): void {
    const start = view.pathStart ?? 0;
    const old = this.#path;
    const path = new Array<StoryNode | undefined>(start + view.path.length).fill(undefined);
    if (keepEarlier && start > 0 && old[start - 1] !== undefined && old[start - 1]?.id === view.path[0]?.parentId) {
      for (let i = 0; i < start; i++) path[i] = old[i];
    }
    view.path.forEach((node, i) => (path[start + i] = node));
    this.#epoch += 1;
    this.#view = view;
    this.#path = path;
    this.#revision += 1;
  }
}
