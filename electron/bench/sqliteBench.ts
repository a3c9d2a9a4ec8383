import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../store/openStore.js';
import { percentiles } from './percentiles.js';
import { SyntheticText, syntheticQuery } from './syntheticNode.js';
import { syntheticStory } from './syntheticStory.js';

type Spread = { p50: number; p99: number; max: number };

export interface SqliteFigures {
  nodes: number;
  /** One step's commit (addNode, returning the new view), as the engine makes it. */
  commit: Spread;
  /** From the commit's return until its log sync (which runs off the event loop) has reached the disk. */
  durable: Spread;
  /** The checkpoint at idle time after every 32nd commit (SqliteDatabase schedules it), timed on its own. */
  idleCheckpoint: Spread;
  /** Long-term memory retrieval from the last passage, with a plan's text as the query. */
  retrieval: Spread;
  /** Opening the database file (integrity check, migrations, the daily backup when due) in a fresh session. */
  openDatabaseMs: number;
  /** Then opening the story as the app does: the view with the last OPEN_WINDOW nodes of its path (nothing cached). */
  openWindowMs: number;
  /** Then the view with its whole path, every other node read and parsed (as `longtale show` does). */
  openStoryMs: number;
  bytesPerPassage: number;
}

const RETRIEVALS = 200;
/** The renderer's window (StoryState's WINDOW). */
const OPEN_WINDOW = 40;

/**
 * P5: a synthetic story of `nodes` passages in a real database file, each committed through the store exactly as
 * a step commits it (see syntheticNode for what a node holds); then retrieval from the last passage, and opening
 * the story in a new session, timed.
 */
export async function sqliteBench(nodes = 10_000, seed = 1): Promise<SqliteFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-bench-'));
  const file = path.join(dir, 'bench.db');
  const text = new SyntheticText(seed);
  try {
    const { storyId, ...written } = await writeStory(file, nodes, text);
    const started = performance.now();
    const store = openStore(file);
    const openDatabaseMs = performance.now() - started;
    try {
      const windowStarted = performance.now();
      store.stories.open(storyId, undefined, OPEN_WINDOW);
      const openWindowMs = performance.now() - windowStarted;
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
      return { nodes, ...written, retrieval: percentiles(retrievals), openDatabaseMs, openWindowMs, openStoryMs, bytesPerPassage };
    } finally {
      store.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The story, step by step. Between steps the event loop runs, as it does while the app generates: the log sync
 * completes and the due checkpoint runs (here at once, rather than 50 ms later).
 */
async function writeStory(
  file: string,
  nodes: number,
  text: SyntheticText,
): Promise<{ storyId: number; commit: Spread; durable: Spread; idleCheckpoint: Spread }> {
  const store = openStore(file);
  try {
    const records = syntheticStory(text, nodes);
    const root = records.next();
    if (root.done) throw new Error('The bench story needs at least one passage.');
    const first = store.stories.create({ title: 'Bench', premise: 'A long harbour story.', root: root.value });
    // Today's backup is taken while the file is small, as on a day the app was already used: the next session's
    // open then times the open itself, not a copy of the whole file (which happens at most daily).
    store.backups?.backUp(store.db, true);
    let current = first.currentNodeId;
    const commits: number[] = [];
    const durable: number[] = [];
    const checkpoints: number[] = [];
    for (const record of records) {
      const started = performance.now();
      current = store.stories.addNode(first.story.id, current, record).currentNodeId;
      const committed = performance.now();
      commits.push(committed - started);
      await store.db.logSynced();
      durable.push(performance.now() - committed);
      const idle = performance.now();
      if (store.db.checkpointIfDue() !== null) checkpoints.push(performance.now() - idle);
    }
    const figures = { commit: percentiles(commits), durable: percentiles(durable), idleCheckpoint: percentiles(checkpoints) };
    return { storyId: first.story.id, ...figures };
  } finally {
    store.dispose();
  }
}
