import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/store/migrations/index.js';
import { STORY_COLUMNS } from '../../../electron/store/rowToSummary.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, migrations, { to: 5 });
});
afterEach(() => db.dispose());

const counts = () => db.all('SELECT id, passage_count, word_count FROM stories ORDER BY id');
const addNode = (story: number, words: number, parent: number | null = null) =>
  Number(
    db.run('INSERT INTO nodes (story_id, parent_id, passage, word_count, created_at) VALUES (?, ?, ?, ?, 1)', [story, parent, 'w', words])
      .lastInsertRowid,
  );

describe('migration 006: story counts kept on the story row', () => {
  it('counts existing nodes, then follows inserts, edits and deletes without reading the nodes', () => {
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Salt', 'p', 1, 1), ('Tar', 'p', 1, 1), ('Empty', 'p', 1, 1)");
    const root = addNode(1, 3);
    addNode(1, 4, root);
    addNode(2, 10);
    migrate(db, migrations, { to: 6 });
    expect(db.pragma<number>('user_version')).toBe(6);
    expect(counts()).toEqual([
      { id: 1, passage_count: 2, word_count: 7 },
      { id: 2, passage_count: 1, word_count: 10 },
      { id: 3, passage_count: 0, word_count: 0 },
    ]);

    const leaf = addNode(1, 5, root);
    db.run('UPDATE nodes SET word_count = 2 WHERE id = ?', [root]);
    db.run('DELETE FROM nodes WHERE id = ?', [leaf]);
    addNode(3, 1);
    expect(counts()).toEqual([
      { id: 1, passage_count: 2, word_count: 6 },
      { id: 2, passage_count: 1, word_count: 10 },
      { id: 3, passage_count: 1, word_count: 1 },
    ]);
    // A whole story deleted (its nodes cascade) leaves the others' counts alone.
    db.run('DELETE FROM stories WHERE id = 1');
    expect(counts()).toEqual([
      { id: 2, passage_count: 1, word_count: 10 },
      { id: 3, passage_count: 1, word_count: 1 },
    ]);

    const plan = db.all<{ detail: string }>(`EXPLAIN QUERY PLAN SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = 2`);
    expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/\bnodes\b/u);
    expect(db.get("SELECT name FROM sqlite_master WHERE name = 'nodes_by_story_words'")).toBeUndefined();
  });
});
