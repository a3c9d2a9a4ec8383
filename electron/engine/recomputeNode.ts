import type { StoryNode } from '../contract/index.js';
import { countWords } from '../store/countWords.js';
import { carryUserEntries } from '../memory/surprisal/carryUserEntries.js';
import type { Store } from '../store/openStore.js';
import type { GenerationSettings } from '../story/GenerationSettings.js';
import type { TextModel } from '../story/TextModel.js';
import { rememberPassage } from '../story/writeStep.js';
import type { PassageVectors } from './PassageVectors.js';
import type { StepContexts } from './StepContexts.js';
import type { CallContext } from './StoryService.js';

export interface RecomputeParts {
  store: Store;
  contexts: StepContexts;
  settings: GenerationSettings;
  vectors: PassageVectors | undefined;
  /** A store write and its node's vector in one transaction (see StoryService). */
  commit: (vector: Float32Array | undefined, write: () => void, nodeOf: () => { storyId: number; nodeId: number }) => void;
}

/**
 * Recomputes memory, summary, plans, surprisal memory and token scores of `node` from its parent's current state,
 * and commits them. The passage stays as it is; what the user pinned or added to its surprisal memory stays too.
 */
export async function recomputeNode(parts: RecomputeParts, model: TextModel, storyId: number, node: StoryNode, signal: AbortSignal): Promise<void> {
  const { store } = parts;
  const parent = node.parentId === null ? null : store.stories.node(storyId, node.parentId);
  const context = await parts.contexts.build(storyId, parent, node.instruction, signal);
  const remembered = await rememberPassage(model, context, node.passage, parts.settings, signal);
  const own = new Set(remembered.ownEntryIds);
  const recomputed = remembered.keyMemory.map((e) => (own.has(e.id) ? { ...e, sourceNode: node.id } : e));
  const vector = await parts.vectors?.vectorFor({ passage: node.passage, summary: remembered.summary }, signal);
  parts.commit(
    vector,
    () =>
      store.stories.updateState(storyId, node.id, {
        summary: remembered.summary,
        shortMemory: remembered.shortMemory,
        plans: remembered.plans,
        keyMemory: carryUserEntries(node.keyMemory, recomputed, context.turn),
        tokens: remembered.tokens,
        // The passage stays, and with it the settings it was written with.
        stats: node.stats.settings ? { ...remembered.stats, settings: node.stats.settings } : remembered.stats,
        stale: false,
      }),
    () => ({ storyId, nodeId: node.id }),
  );
}

/** Recomputes `nodes` (a path, in order), each from the one before, reporting progress after each as auto mode does. */
export async function recomputePath(parts: RecomputeParts, model: TextModel, storyId: number, nodes: readonly StoryNode[], call: CallContext): Promise<void> {
  const started = performance.now();
  let words = 0;
  for (const [index, node] of nodes.entries()) {
    call.emit({ kind: 'phase', phase: 'remembering' });
    await recomputeNode(parts, model, storyId, node, call.signal);
    words += countWords(node.passage);
    const done = (index + 1) / nodes.length;
    const secondsLeft = ((performance.now() - started) / 1000 / done) * (1 - done);
    const fresh = parts.store.stories.node(storyId, node.id);
    call.emit({ kind: 'progress', passages: index + 1, words, targetPassages: nodes.length, targetWords: null, secondsLeft, node: fresh });
  }
}
