import { SvelteSet } from 'svelte/reactivity';
import type { TreeNode } from '../../../electron/contract/index.js';
import type { Backend } from '../backend/Backend.js';
import { describe } from './describe.js';
import { indexTree, layoutTree, type MapRow, type TreeIndex } from './layoutTree.js';

/** The skeleton of a story's whole tree, for the map and for moving between retries (‹ 2/3 ›). */
export class StoryTree {
  #nodes = $state.raw<TreeNode[]>([]);
  #index = $derived<TreeIndex>(indexTree(this.#nodes));
  #loadedRevision = -1;
  #loading: Promise<void> | null = null;
  #error = $state<string | null>(null);
  /** Branch heads the author unfolded by hand (a branch holding the current passage is always unfolded). */
  readonly #open = new SvelteSet<number>();

  readonly #backend: Backend;
  readonly #storyId: number;

  constructor(backend: Backend, storyId: number) {
    this.#backend = backend;
    this.#storyId = storyId;
  }

  get nodes(): TreeNode[] {
    return this.#nodes;
  }
  get error(): string | null {
    return this.#error;
  }
  get size(): number {
    return this.#nodes.length;
  }

  /** Loads the skeleton unless it is already as of `revision` of the story. */
  ensure(revision: number): Promise<void> {
    if (revision === this.#loadedRevision) return this.#loading ?? Promise.resolve();
    this.#loadedRevision = revision;
    const loading = this.#load().finally(() => {
      if (this.#loading === loading) this.#loading = null;
    });
    this.#loading = loading;
    return loading;
  }

  /** `nodeId` and its siblings, in sibling order. */
  siblings(nodeId: number): TreeNode[] {
    const node = this.#index.byId.get(nodeId);
    if (!node) return [];
    return this.#index.children.get(node.parentId) ?? [node];
  }

  /** The sibling `delta` places away from `nodeId`, if there is one. */
  sibling(nodeId: number, delta: number): TreeNode | null {
    const siblings = this.siblings(nodeId);
    const at = siblings.findIndex((n) => n.id === nodeId);
    return at === -1 ? null : (siblings[at + delta] ?? null);
  }

  /** The ids from the first passage to `nodeId`, walked up the skeleton (the reader's path may not be all fetched). */
  pathTo(nodeId: number | null): Set<number> {
    // Built here and never changed after: a plain Set is enough.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const ids = new Set<number>();
    for (let node = nodeId === null ? undefined : this.#index.byId.get(nodeId); node && !ids.has(node.id); ) {
      ids.add(node.id);
      node = node.parentId === null ? undefined : this.#index.byId.get(node.parentId);
    }
    return ids;
  }

  rows(pathIds: ReadonlySet<number>, currentId: number | null): MapRow[] {
    return layoutTree(this.#index, pathIds, currentId, this.#open);
  }

  isOpen(nodeId: number): boolean {
    return this.#open.has(nodeId);
  }

  toggle(nodeId: number): void {
    if (!this.#open.delete(nodeId)) this.#open.add(nodeId);
  }

  async #load(): Promise<void> {
    try {
      this.#nodes = await this.#backend.call('stories.tree', { storyId: this.#storyId });
      this.#error = null;
    } catch (error) {
      this.#error = describe(error);
      this.#loadedRevision = -1;
    }
  }
}
