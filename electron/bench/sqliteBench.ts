import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../store/openStore.js';
import { percentiles } from './percentiles.js';
import { seededRandom, WORDS, writeSyntheticStory } from './syntheticStory.js';

export interface SqliteFigures {
  nodes: number;
  commit: { p50: number; p99: number; max: number };
  retrieval: { p50: number; p99: number; max: number };
  openStoryMs: number;
  bytesPerPassage: number;
}

/**
 * P5: a synthetic story of `nodes` passages in a real database file, each committed through the store exactly as
 * a step commits it; then retrieval from the last passage and opening the story, timed.
 */
export function sqliteBench(nodes = 10_000, seed = 1): SqliteFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-'));
  const random = seededRandom(seed);
  const store = openStore(path.join(dir, 'bench.db'));
  try {
    const commits: number[] = [];
    const { storyId, currentNodeId: current } = writeSyntheticStory(store, { nodes, random, onCommit: (ms) => commits.push(ms) });
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
