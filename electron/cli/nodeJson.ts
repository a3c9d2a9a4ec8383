import type { StoryNode } from '../contract/index.js';

/** A node as `longtale show` and `longtale step --json` print it (the interface scripts rely on). */
export function nodeJson(node: StoryNode) {
  return {
    id: node.id,
    parentId: node.parentId,
    passage: node.passage,
    plans: node.plans.map((p) => p.text),
    labels: node.plans.map((p) => p.label),
    shortMemory: node.shortMemory,
    keyMemory: node.keyMemory.map((e) => ({ text: e.text, score: e.score, pinned: e.pinned, kind: e.kind })),
    tokens: [] as { text: string; surprisal: number }[],
    summary: node.summary,
    stale: node.stale,
    stats: node.stats,
  };
}
