import type { Fact, FactSuggestion } from '../contract/index.js';
import { suggestFacts } from '../memory/suggestFacts.js';
import type { Store } from '../store/openStore.js';

/** Passages read for suggestions: the end of the path, where the story's names are now. */
export const SUGGESTION_WINDOW = 200;

/** The story bible's pinned facts, and names from the story suggested for it. */
export class FactsService {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Every fact, each with where it holds from and whether the next passage from the current one reads it. */
  list(storyId: number): Fact[] {
    const current = this.#store.stories.open(storyId, undefined, 1).currentNodeId;
    const path = new Set(this.#store.stories.pathIds(current));
    return this.#store.stories.facts(storyId).map(({ id, text, fromNodeId }) => ({
      id,
      text,
      from: fromNodeId === null ? null : { nodeId: fromNodeId, position: this.#store.stories.depth(storyId, fromNodeId) + 1 },
      applies: fromNodeId === null || path.has(fromNodeId),
    }));
  }

  /** For the whole story, or with `fromNodeId` from that passage on, on its branch. */
  add(storyId: number, text: string, fromNodeId?: number): Fact[] {
    this.#store.stories.addFact(storyId, text, fromNodeId ?? null);
    return this.list(storyId);
  }

  edit(storyId: number, factId: number, text: string): Fact[] {
    this.#store.stories.editFact(storyId, factId, text);
    return this.list(storyId);
  }

  remove(storyId: number, factId: number): Fact[] {
    this.#store.stories.removeFact(storyId, factId);
    return this.list(storyId);
  }

  /** Names that recur on the last SUGGESTION_WINDOW passages of the path to `nodeId` (default: the current one) and are in no fact yet. */
  suggest(storyId: number, nodeId?: number): FactSuggestion[] {
    const { story, path } = this.#store.stories.open(storyId, nodeId, SUGGESTION_WINDOW);
    const passages = path.map((node) => ({ nodeId: node.id, passage: node.passage }));
    const facts = this.#store.stories.factsAfter(storyId, path.at(-1)?.id ?? null);
    const known = [story.title, story.premise, ...facts.map((f) => f.text)];
    return suggestFacts(passages, known, (nodeId) => this.#store.stories.tokens(storyId, nodeId));
  }
}
