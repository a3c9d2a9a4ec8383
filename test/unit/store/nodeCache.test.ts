import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { nodeRecord } from './nodeRecord.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-cache-'));
  store = openStore(path.join(dir, 's.db'));
});
afterEach(() => {
  store.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The cache must never show what the database does not hold: every change through the store is visible. */
describe('the node cache behind paths', () => {
  it('shows sibling counts, edits, state changes and deletions at once', () => {
    const first = store.stories.create({ title: 't', premise: 'p', root: nodeRecord('root') });
    const id = first.story.id;
    const a = store.stories.addNode(id, first.currentNodeId, nodeRecord('a'));
    expect(a.path.at(-1)).toMatchObject({ siblingIndex: 0, siblingCount: 1 });
    store.stories.checkout(id, first.currentNodeId);
    store.stories.addNode(id, first.currentNodeId, nodeRecord('b'));
    expect(store.stories.open(id, a.currentNodeId).path.at(-1)).toMatchObject({ siblingIndex: 0, siblingCount: 2 });

    store.stories.updateState(id, a.currentNodeId, { shortMemory: 'changed' });
    expect(store.stories.open(id, a.currentNodeId).path.at(-1)?.shortMemory).toBe('changed');
    store.stories.editPassage(id, first.currentNodeId, 'new root');
    expect(store.stories.open(id, a.currentNodeId).path[0]?.passage).toBe('new root');
  });

  it('sees a write by another connection (a second app on the same database)', () => {
    const first = store.stories.create({ title: 't', premise: 'p', root: nodeRecord('mine') });
    expect(store.stories.open(first.story.id).path[0]?.passage).toBe('mine');
    const other = new Database(path.join(dir, 's.db'));
    other.prepare("UPDATE nodes SET passage = 'theirs'").run();
    other.close();
    expect(store.stories.open(first.story.id).path[0]?.passage).toBe('theirs');
  });
});
