import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../store/openStore.js';
import { percentiles } from './percentiles.js';
import { SyntheticText, syntheticNode, syntheticQuery } from './syntheticNode.js';

type Spread = { p50: number; p99: number; max: number };

export interface SqliteFigures {
  nodes: number;
  /** One step's commit (addNode, returning the new view), as the engine makes it. */
  commit: Spread;
  /** The checkpoint at idle time after every 32nd commit (SqliteDatabase schedules it), timed on its own. */
  idleCheckpoint: Spread;
  /** Long-term memory retrieval from the last passage, with a plan's text as the query. */
  retrieval: Spread;
  /** Opening the database file (integrity check, migrations, the daily backup when due) in a fresh session. */
  openDatabaseMs: number;
  /** Then opening the story: the view with its whole path, every node read and parsed (nothing cached). */
  openStoryMs: number;
  bytesPerPassage: number;
}

const RETRIEVALS = 200;

/**
 * P5: a synthetic story of `nodes` passages in a real database file, each committed through the store exactly as
 * a step commits it (see syntheticNode for what a node holds); then retrieval from the last passage, and opening
 * the story in a new session, timed.
 */
export function sqliteBench(nodes = 10_000, seed = 1): SqliteFigures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-'));
  const file = path.join(dir, 'bench.db');
  const text = new SyntheticText(seed);
  try {
    const { storyId, ...written } = writeStory(file, nodes, text);
    const started = performance.now();
    const store = openStore(file);
    const openDatabaseMs = performance.now() - started;
    try {
      const openStarted = performance.now();
      const view = store.stories.open(storyId);
      const openStoryMs = performance.now() - openStarted;
      const retrievals: number[] = [];
      for (let i = 0; i < RETRIEVALS; i++) {
        const query = syntheticQuery(text);
        const retrievalStarted = performance.now();
        store.passages.search(storyId, view.currentNodeId, query, { limit: 3, excludeRecent: 1 });
        retrievals.push(performance.now() - retrievalStarted);
      }
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      const bytesPerPassage = Math.round(fs.statSync(file).size / nodes);
      return { nodes, ...written, retrieval: percentiles(retrievals), openDatabaseMs, openStoryMs, bytesPerPassage };
    } finally {
      store.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The story, step by step; the idle checkpoint runs between steps as the app's event loop would run it. */
function writeStory(file: string, nodes: number, text: SyntheticText): { storyId: number; commit: Spread; idleCheckpoint: Spread } {
  const store = openStore(file);
  try {
    const first = store.stories.create({ title: 'Bench', premise: 'A long harbour story.', root: syntheticNode(text, 0, []) });
    // Today's backup is taken while the file is small, as on a day the app was already used: the next session's
    // open then times the open itself, not a copy of the whole file (which happens at most daily).
    store.backups?.backUp(store.db, true);
    let current = first.path[0];
    const commits: number[] = [];
    const checkpoints: number[] = [];
    for (let turn = 1; turn < nodes && current; turn++) {
      const record = syntheticNode(text, turn, current.keyMemory);
      const started = performance.now();
      current = store.stories.addNode(first.story.id, current.id, record).path.at(-1);
      const committed = performance.now();
      commits.push(committed - started);
      if (store.db.checkpointIfDue() !== null) checkpoints.push(performance.now() - committed);
    }
    return { storyId: first.story.id, commit: percentiles(commits), idleCheckpoint: percentiles(checkpoints) };
  } finally {
    store.dispose();
  }
}
