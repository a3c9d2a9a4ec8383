import type { NodeStats, Plan } from '../contract/index.js';
import type { NewNodeRecord } from '../store/NewNodeRecord.js';
import type { Store } from '../store/openStore.js';

/** A vocabulary of 3,000 made-up words drawn with a Zipf-like skew, like the words of real prose. */
const SYLLABLES = 'ka lo mi ren to sa vel dor an is ther ol um bri ca fen'.split(' ');
export const WORDS = Array.from({ length: 3000 }, (_, i) => {
  let word = '';
  for (let n = i + 17; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});
const STATS: NodeStats = { promptTokens: 900, evaluatedTokens: 300, generatedTokens: 420, milliseconds: 9000, retries: 0, fallback: false, regenerated: false, scoringMs: 40 } as NodeStats;

/** A seeded generator, so two runs write the same story. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** A passage of ~250 words and a realistic state (memory, three plans), different for every node. */
function record(i: number, random: () => number): NewNodeRecord {
  const word = () => WORDS[Math.floor(WORDS.length * random() ** 3)] as string;
  const sentence = () => `${Array.from({ length: 12 }, word).join(' ')}.`;
  const plans: Plan[] = [1, 2, 3].map((k) => ({ label: `Option ${k}`, text: Array.from({ length: 3 }, sentence).join(' ') }));
  return {
    passage: `Passage ${i}. ${Array.from({ length: 20 }, sentence).join(' ')}`,
    summary: sentence(),
    instruction: { kind: 'choice', choice: 1, text: plans[0]?.text ?? '' },
    shortMemory: Array.from({ length: 8 }, sentence).join(' '),
    plans,
    keyMemory: [],
    stats: STATS,
  } as NewNodeRecord;
}

/**
 * A synthetic story of `nodes` passages ("Passage 0." … "Passage {nodes-1}."), each committed through the store
 * exactly as a step commits it; `onCommit` sees how long each commit took. Returns the story and its last node.
 */
export function writeSyntheticStory(
  store: Store,
  options: { nodes: number; random: () => number; title?: string; onCommit?: (ms: number) => void },
): { storyId: number; currentNodeId: number } {
  const { nodes, random } = options;
  const first = store.stories.create({ title: options.title ?? 'Bench', premise: 'A long harbour story.', root: record(0, random) });
  const storyId = first.story.id;
  let current = first.currentNodeId;
  for (let i = 1; i < nodes; i++) {
    const node = record(i, random);
    const started = performance.now();
    current = store.stories.addNode(storyId, current, node).currentNodeId;
    options.onCommit?.(performance.now() - started);
  }
  return { storyId, currentNodeId: current };
}
