import type { Instruction, StoryNode } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { Store } from '../store/openStore.js';
import type { SettingsFor } from '../story/GenerationSettings.js';
import type { StepContext } from '../story/StepContext.js';
import type { PassageVectors } from './PassageVectors.js';

/** What the story code reads for a step, gathered from the store (and the passage vectors, when there are any). */
export class StepContexts {
  readonly #store: Store;
  readonly #vectors: PassageVectors | undefined;
  readonly #settings: SettingsFor;

  constructor(store: Store, vectors: PassageVectors | undefined, settings: SettingsFor) {
    this.#store = store;
    this.#vectors = vectors;
    this.#settings = settings;
  }

  /** The context of the passage written after `from` (the opening when null) from `instruction`. */
  async build(storyId: number, from: StoryNode | null, instruction: Instruction, signal?: AbortSignal): Promise<StepContext> {
    // Only the last node is read: the turn is the length of the whole path, which pathStart gives.
    const { story, path, pathStart = 0 } = this.#store.stories.open(storyId, from?.id, 1);
    // A choice retrieves by all three plans of the node, not only the chosen one: which plan the reader picks then
    // changes nothing but the instruction, so the prompt read ahead after the last step serves every choice.
    const query = instruction.kind === 'choice' && from ? from.plans.map((p) => p.text).join('\n') : 'text' in instruction ? instruction.text : story.premise;
    const options = { limit: this.#settings(storyId).relatedPassages, excludeRecent: 1 };
    const related = !from
      ? []
      : this.#vectors
        ? await this.#vectors.search(storyId, from.id, query, options, signal)
        : this.#store.passages.search(storyId, from.id, query, options);
    const embedder = await this.#vectors?.embedder();
    return {
      ...(embedder ? { embedder } : {}),
      story: { title: story.title, premise: story.premise, genre: story.genre, style: story.style, outline: story.outline },
      facts: this.#store.stories.factsAfter(storyId, from?.id ?? null).map((f) => f.text),
      previous: from
        ? { passage: from.passage, shortMemory: from.shortMemory, keyMemory: from.keyMemory, plans: from.plans.map((p) => p.text) }
        : null,
      related: related.map((r) => ({ passage: r.passage, summary: r.summary })),
      instruction,
      // The new node lies one below `from`, whose path from the root has path.length nodes.
      turn: from ? pathStart + path.length : 0,
    };
  }

  /** The node `nodeId`, or the story's current node when none is given. */
  nodeOrCurrent(storyId: number, nodeId: number | undefined): StoryNode {
    if (nodeId !== undefined) return this.#store.stories.node(storyId, nodeId);
    const current = this.#store.stories.open(storyId, undefined, 1).path.at(-1);
    if (!current) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
    return current;
  }
}
