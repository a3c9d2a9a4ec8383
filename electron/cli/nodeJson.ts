import type { StoryNode, TokenSurprisal } from '../contract/index.js';

/**
 * A node as `longtale show` and `longtale step --json` print it (the interface scripts rely on). `tokens` is the
 * passage's heatmap: each token with its surprisal in nats (empty when it was not scored).
 */
export function nodeJson(node: StoryNode, tokens: readonly TokenSurprisal[] = []) {
  return {
    id: node.id,
    parentId: node.parentId,
    passage: node.passage,
    plans: node.plans.map((p) => p.text),
    labels: node.plans.map((p) => p.label),
    shortMemory: node.shortMemory,
    keyMemory: node.keyMemory.map((e) => ({
      id: e.id,
      text: e.text,
      kind: e.kind,
      score: e.score,
      base: e.base,
      pinned: e.pinned,
      turnAdded: e.turnAdded,
      lastSeen: e.lastSeen,
      sourceNode: e.sourceNode,
      offsets: e.offsets,
    })),
    tokens: tokens.map((t) => ({ text: t.text, surprisal: round(t.surprisal) })),
    summary: node.summary,
    stale: node.stale,
    stats: node.stats,
  };
}

/** Surprisal is stored to a thousandth of a nat; printing more digits would only show float noise. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
