// The story tree's tests share one fresh in-memory store per test and a few helpers to grow a tree in it.
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { StoryStore } from '../../../electron/store/StoryStore.js';
import { nodeRecord } from './nodeRecord.js';

/** A clock under the test's control. */
function manualClock(start = 1_000): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}

// Live bindings: a new store for every test (useStoryTree).
export let store: Store;
export let clock: ReturnType<typeof manualClock>;
export let stories: StoryStore;

export function useStoryTree(): void {
  beforeEach(() => {
    store = openStore(':memory:');
    clock = manualClock();
    stories = new StoryStore(store.db, clock.now);
  });

  afterEach(() => {
    store.dispose();
  });
}

export function newStory(passage = 'root'): { storyId: number; rootId: number } {
  const view = stories.create({ title: 't', premise: 'p', root: nodeRecord(passage) });
  return { storyId: view.story.id, rootId: view.currentNodeId };
}

export function add(storyId: number, parentId: number, passage: string, makeCurrent = true): number {
  return stories.addNode(storyId, parentId, nodeRecord(passage), { makeCurrent }).currentNodeId;
}

export function currentId(storyId: number): number {
  return stories.open(storyId).currentNodeId;
}

export function row<T>(sql: string, params: number[]): T | undefined {
  return store.db.get<T>(sql, params);
}
