import type { AutoTarget, CallEvent, MemoryKind, Plan, StepInput, StoryNode, StoryView } from '../../../electron/contract/index.js';
import type { Backend, CallOptions } from '../backend/Backend.js';
import { describe, isCancelled } from './describe.js';
import { Generation } from './Generation.svelte.js';

export type AutoProgress = Omit<Extract<CallEvent, { kind: 'progress' }>, 'kind' | 'node'>;

/**
 * One open story: the path from its beginning to the current passage, and everything that changes it. Every
 * change comes back from the engine as a new view; a failed or stopped call leaves the view as it was.
 */
export class StoryState {
  #view = $state.raw<StoryView | null>(null);
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
  get path(): StoryNode[] {
    return this.#view?.path ?? [];
  }
  /** The passage the story stands at: the last of the path. */
  get current(): StoryNode | null {
    return this.#view?.path.at(-1) ?? null;
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
    return this.#change(() => this.#backend.call('stories.open', { storyId: this.storyId }));
  }

  /** Writes the next passage from the current one: a choice (1–3), the author's plan, or the reader's action. */
  step(input: StepInput): Promise<boolean> {
    return this.#write((options) => this.#backend.call('stories.step', { storyId: this.storyId, input }, options));
  }

  /** Writes `nodeId` again from its instruction: a new sibling, which becomes current. */
  retry(nodeId: number | undefined = this.current?.id): Promise<boolean> {
    if (nodeId === undefined) return Promise.resolve(false);
    return this.#write((options) => this.#backend.call('stories.retry', { storyId: this.storyId, nodeId }, options));
  }

  /** Writes toward a target unattended; each committed passage joins the view as it lands. */
  auto(target: AutoTarget, onProgress: (progress: AutoProgress) => void): Promise<boolean> {
    return this.#write(
      (options) => this.#backend.call('stories.auto', { storyId: this.storyId, target }, options),
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
    return this.#change(() => this.#backend.call('stories.undo', { storyId: this.storyId }));
  }

  redo(): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.redo', { storyId: this.storyId }));
  }

  checkout(nodeId: number): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.checkout', { storyId: this.storyId, nodeId }));
  }

  rename(title: string): Promise<boolean> {
    return this.#change(() => this.#backend.call('stories.rename', { storyId: this.storyId, title }));
  }

  editPassage(nodeId: number, passage: string): Promise<boolean> {
    return this.#change(() => this.#backend.call('nodes.editPassage', { storyId: this.storyId, nodeId, passage }));
  }

  editMemory(nodeId: number, edit: { shortMemory?: string; plans?: Plan[] }): Promise<boolean> {
    return this.#change(() => this.#backend.call('nodes.editMemory', { storyId: this.storyId, nodeId, ...edit }));
  }

  /** Adds a detail of the user's own to the surprisal memory of the current passage. */
  addMemoryEntry(text: string, kind: MemoryKind = 'user', pinned = true): Promise<boolean> {
    return this.#change(() => this.#backend.call('memory.add', { storyId: this.storyId, text, kind, pinned }));
  }

  /** Pins or unpins, rewrites, or changes the kind of an entry of the current passage's surprisal memory. */
  editMemoryEntry(entryId: string, edit: { text?: string; kind?: MemoryKind; pinned?: boolean }): Promise<boolean> {
    return this.#change(() => this.#backend.call('memory.edit', { storyId: this.storyId, entryId, ...edit }));
  }

  forgetMemoryEntry(entryId: string): Promise<boolean> {
    return this.#change(() => this.#backend.call('memory.forget', { storyId: this.storyId, entryId }));
  }

  /** Deletes a passage and everything written after it; the engine refuses the first one and those on the path. */
  deleteBranch(nodeId: number): Promise<boolean> {
    return this.#change(() => this.#backend.call('nodes.delete', { storyId: this.storyId, nodeId }));
  }

  /** Recomputes memory and plans from `nodeId` down the current path, after an edit. */
  recompute(nodeId: number): Promise<boolean> {
    return this.#write((options) => this.#backend.call('nodes.recompute', { storyId: this.storyId, nodeId }, options));
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

  async #change(call: () => Promise<StoryView>): Promise<boolean> {
    if (this.generation.running) return false;
    this.#pending += 1;
    try {
      this.#show(await call());
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
      this.#show(await this.#backend.call('stories.open', { storyId: this.storyId }));
    } catch {
      // The error of the call itself is already shown.
    }
  }

  #append(node: StoryNode): void {
    const view = this.#view;
    if (!view) return;
    const path = view.path.at(-1)?.id === node.parentId ? [...view.path, node] : view.path;
    this.#show({ ...view, currentNodeId: node.id, path });
  }

  #show(view: StoryView): void {
    this.#view = view;
    this.#revision += 1;
  }
}
