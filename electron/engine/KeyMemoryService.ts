import type { MemoryEntry, MemoryKind, StoryNode, StoryView, TextSurprisal } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import { addEntry, type EntryEdit, editEntry, forgetEntry } from '../memory/surprisal/editKeyMemory.js';
import { entryTokens } from '../memory/surprisal/evictEntries.js';
import { memoryBudget, resolveMemorySettings } from '../memory/surprisal/MemorySettings.js';
import type { Store } from '../store/openStore.js';
import type { SettingsFor } from '../story/GenerationSettings.js';
import type { TextModel } from '../story/TextModel.js';
import type { StoryQueue } from './StoryQueue.js';

/**
 * The user's hand on the surprisal memory. Every change rewrites the memory of one node (the current one unless
 * another is named) in place, as `nodes.editMemory` does for the short-term memory: undo, redo and branch switches
 * still restore each node's own snapshot, the next step from that node reads the change, and nodes written
 * earlier from it keep theirs. A change that would make the pinned entries alone exceed the memory budget is
 * refused (that check needs the model's tokenizer, so only such changes load it).
 */
export class KeyMemoryService {
  readonly #store: Store;
  readonly #queue: StoryQueue;
  readonly #model: (signal?: AbortSignal) => Promise<TextModel>;
  readonly #settings: SettingsFor;

  constructor(store: Store, queue: StoryQueue, model: (signal?: AbortSignal) => Promise<TextModel>, settings: SettingsFor) {
    this.#store = store;
    this.#queue = queue;
    this.#model = model;
    this.#settings = settings;
  }

  add(storyId: number, nodeId: number | undefined, entry: { text: string; kind?: MemoryKind; pinned?: boolean }, signal?: AbortSignal): Promise<StoryView> {
    return this.#change(storyId, nodeId, signal, (entries, node) => {
      const turn = this.#store.stories.depth(storyId, node.id);
      const score = resolveMemorySettings(this.#settings(storyId).memory).userScore;
      return addEntry(entries, { text: entry.text, kind: entry.kind ?? 'user', pinned: entry.pinned ?? false }, turn, score).entries;
    });
  }

  edit(storyId: number, nodeId: number | undefined, entryId: string, edit: EntryEdit, signal?: AbortSignal): Promise<StoryView> {
    return this.#change(storyId, nodeId, signal, (entries) => editEntry(entries, entryId, edit));
  }

  forget(storyId: number, nodeId: number | undefined, entryId: string): Promise<StoryView> {
    return this.#change(storyId, nodeId, undefined, (entries) => forgetEntry(entries, entryId));
  }

  /** The heatmap of one passage: its tokens with their surprisal, and their mean. */
  tokens(storyId: number, nodeId: number): TextSurprisal & { nodeId: number } {
    const tokens = this.#store.stories.tokens(storyId, nodeId);
    const meanSurprisal = tokens.length > 0 ? tokens.reduce((sum, t) => sum + t.surprisal, 0) / tokens.length : null;
    return { nodeId, tokens, meanSurprisal };
  }

  #change(
    storyId: number,
    nodeId: number | undefined,
    signal: AbortSignal | undefined,
    apply: (entries: MemoryEntry[], node: StoryNode) => MemoryEntry[],
  ): Promise<StoryView> {
    return this.#queue.run(storyId, async () => {
      const node = nodeId === undefined ? this.#current(storyId) : this.#store.stories.node(storyId, nodeId);
      const entries = apply(node.keyMemory, node);
      await this.#checkPinned(storyId, node.keyMemory, entries, signal);
      this.#store.stories.updateState(storyId, node.id, { keyMemory: entries });
      return this.#store.stories.open(storyId);
    });
  }

  async #checkPinned(storyId: number, before: readonly MemoryEntry[], after: readonly MemoryEntry[], signal: AbortSignal | undefined): Promise<void> {
    // Only a newly pinned text can push the pinned entries over the budget; unpinning or forgetting never does.
    const pinnedBefore = new Set(before.filter((e) => e.pinned).map((e) => e.text));
    if (after.every((e) => !e.pinned || pinnedBefore.has(e.text))) return;
    const model = await this.#model(signal);
    const count = (text: string) => model.countTokens(text);
    const cost = (entries: readonly MemoryEntry[]) => entries.filter((e) => e.pinned).reduce((sum, e) => sum + entryTokens(e, count), 0);
    const budget = memoryBudget(model.contextSize, resolveMemorySettings(this.#settings(storyId).memory));
    const needed = cost(after);
    if (needed > budget && needed > cost(before)) {
      throw new LongtaleError(
        'INVALID_INPUT',
        `Pinned details would take ${needed} tokens; the memory holds ${budget}. Unpin or shorten one first.`,
      );
    }
  }

  #current(storyId: number): StoryNode {
    const current = this.#store.stories.open(storyId).path.at(-1);
    if (!current) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
    return current;
  }
}
