import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeStats, Plan } from '../contract/index.js';
import type { NewNodeRecord } from '../store/NewNodeRecord.js';
import { openStore } from '../store/openStore.js';
import { percentiles } from './percentiles.js';

export interface SqliteFigures {
  nodes: number;
  commit: { p50: number; p99: number; max: number };
  retrieval: { p50: number; p99: number; max: number };
  openStoryMs: number;
  bytesPerPassage: number;
}

/** A vocabulary of 3,000 made-up words drawn with a Zipf-like skew, like the words of real prose. */
const SYLLABLES = 'ka lo mi ren to sa vel dor an is ther ol um bri ca fen'.split(' ');
const WORDS = Array.from({ length: 3000 }, (_, i) => {
  let word = '';
  for (let n = i + 17; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});
const STATS: NodeStats = { promptTokens: 900, evaluatedTokens: 300, generatedTokens: 420, milliseconds: 9000, retries: 0, fallback: false, regenerated: false, scoringMs: 40 } as NodeStats;

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
 * P5: a synthetic story of `nodes` passages in a real database file, each committed through the store exactly as
 * a step commits it; then retrieval from the last passage and opening the story, timed.
 */
export function sqliteBench(nodes = 10_000, seed = 1): SqliteFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-'));
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const store = openStore(path.join(dir, 'bench.db'));
  try {
    const first = store.stories.create({ title: 'Bench', premise: 'A long harbour story.', root: record(0, random) });
    const storyId = first.story.id;
    let current = first.currentNodeId;
    const commits: number[] = [];
    for (let i = 1; i < nodes; i++) {
      const node = record(i, random);
      const started = performance.now();
      current = store.stories.addNode(storyId, current, node).currentNodeId;
      commits.push(performance.now() - started);
    }
    const retrievals: number[] = [];
    for (let i = 0; i < 200; i++) {
      const query = Array.from({ length: 8 }, () => WORDS[Math.floor(WORDS.length * random() ** 3)]).join(' ');
      const started = performance.now();
      store.passages.search(storyId, current, query, { limit: 3, excludeRecent: 1 });
      retrievals.push(performance.now() - started);
    }
    const openStarted = performance.now();
    store.stories.open(storyId);
    const openStoryMs = performance.now() - openStarted;
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.statSync(path.join(dir, 'bench.db')).size;
    return { nodes, commit: percentiles(commits), retrieval: percentiles(retrievals), openStoryMs, bytesPerPassage: Math.round(bytes / nodes) };
  } finally {
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
