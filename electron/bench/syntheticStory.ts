import type { MemoryEntry } from '../contract/index.js';
import type { NewNodeRecord } from '../store/NewNodeRecord.js';
import type { Store } from '../store/openStore.js';
import { type SyntheticText, syntheticNode } from './syntheticNode.js';

/**
 * The nodes of a synthetic story in order, each carrying on the memory of the one before (see syntheticNode).
 * `numbered` begins passage n with "Passage n." so a reader of the story can tell where it is.
 */
export function* syntheticStory(text: SyntheticText, nodes: number, numbered = false): Generator<NewNodeRecord, void> {
  let memory: readonly MemoryEntry[] = [];
  for (let turn = 0; turn < nodes; turn++) {
    const record = syntheticNode(text, turn, memory, numbered ? `Passage ${turn}. ` : '');
    memory = record.keyMemory;
    yield record;
  }
}

/**
 * Writes a numbered synthetic story of `nodes` passages through the store, each committed as a step commits it
 * (the caller may wrap it in one transaction to write faster). Returns the story and its last node.
 */
export function writeSyntheticStory(
  store: Store,
  options: { nodes: number; text: SyntheticText; title?: string },
): { storyId: number; currentNodeId: number } {
  const records = syntheticStory(options.text, options.nodes, true);
  const root = records.next();
  if (root.done) throw new Error('A story needs at least one passage.');
  const first = store.stories.create({ title: options.title ?? 'Bench', premise: 'A long harbour story.', root: root.value });
  let current = first.currentNodeId;
  for (const record of records) current = store.stories.addNode(first.story.id, current, record).currentNodeId;
  return { storyId: first.story.id, currentNodeId: current };
}
