import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteBranch } from '../../../electron/store/deleteBranch.js';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { Trash, TRASH_DAYS } from '../../../electron/store/Trash.js';
import { nodeRecord } from './nodeRecord.js';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.dispose());

function story(title = 'Salt') {
  return store.stories.create({ title, premise: 'A harbour.', root: nodeRecord('The fog came in.') });
}

const count = (table: string) => store.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)?.n;

describe('Trash', () => {
  it('deleting hides a story from the library but keeps every passage until purged', () => {
    const trash = new Trash(store.db);
    const a = story('A');
    story('B');
    trash.put(a.story.id);
    expect(store.stories.list().map((s) => s.title)).toEqual(['B']);
    expect(trash.list().map((s) => s.title)).toEqual(['A']);
    expect(count('nodes')).toBe(2);
    trash.restore(a.story.id);
    expect(store.stories.list().map((s) => s.title).sort()).toEqual(['A', 'B']);
  });

  it('purges only what is in the trash, with its nodes, facts and search index', () => {
    const trash = new Trash(store.db);
    const a = story();
    store.stories.addFact(a.story.id, 'The sea is red.');
    expect(() => trash.purge(a.story.id)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    trash.put(a.story.id);
    trash.purge(a.story.id);
    expect([count('stories'), count('nodes'), count('facts')]).toEqual([0, 0, 0]);
    expect(store.db.all("SELECT rowid FROM nodes_fts WHERE nodes_fts MATCH 'fog'")).toEqual([]);
    expect(() => trash.purge(a.story.id)).toThrow(expect.objectContaining({ code: 'STORY_NOT_FOUND' }));
  });

  it(`purges on its own after ${TRASH_DAYS} days`, () => {
    let now = 1_000_000_000_000;
    const trash = new Trash(store.db, () => now);
    const a = story();
    trash.put(a.story.id);
    now += (TRASH_DAYS - 1) * 86_400_000;
    expect(trash.purgeExpired()).toBe(0);
    now += 2 * 86_400_000;
    expect(trash.purgeExpired()).toBe(1);
    expect(count('stories')).toBe(0);
  });

  it('purges a 3,000-passage story (deeper than SQLite’s trigger limit) in one go', () => {
    const trash = new Trash(store.db);
    const a = story();
    store.db.transaction(() => {
      let parent = a.currentNodeId;
      for (let i = 0; i < 3000; i++) {
        parent = Number(
          store.db.run("INSERT INTO nodes (story_id, parent_id, passage, word_count, created_at) VALUES (?, ?, 'x', 1, 0)", [a.story.id, parent])
            .lastInsertRowid,
        );
      }
    });
    trash.put(a.story.id);
    trash.purge(a.story.id);
    expect(count('nodes')).toBe(0);
  });
});

describe('deleteBranch', () => {
  function tree() {
    const root = story();
    const id = root.story.id;
    const a = store.stories.addNode(id, root.currentNodeId, nodeRecord('A')).currentNodeId;
    const a2 = store.stories.addNode(id, a, nodeRecord('A2')).currentNodeId;
    store.stories.checkout(id, root.currentNodeId);
    const b = store.stories.addNode(id, root.currentNodeId, nodeRecord('B')).currentNodeId;
    return { id, root: root.currentNodeId, a, a2, b };
  }

  it('deletes a branch that is not being read, with everything after it', () => {
    const t = tree();
    expect(deleteBranch(store.db, t.id, t.a)).toBe(2);
    expect(store.stories.children(t.id, t.root).map((n) => n.passage)).toEqual(['B']);
  });

  it('refuses the first passage, a passage on the way to the current one, and another story’s node', () => {
    const t = tree();
    const other = story('Other');
    expect(() => deleteBranch(store.db, t.id, t.root)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => deleteBranch(store.db, t.id, t.b)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => deleteBranch(store.db, t.id, other.currentNodeId)).toThrow(expect.objectContaining({ code: 'NODE_NOT_FOUND' }));
    expect(count('nodes')).toBe(5);
  });
});
