import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/store/migrations/index.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, migrations, { to: 6 });
});
afterEach(() => db.dispose());

const addNode = (story: number, parent: number | null = null) =>
  Number(db.run('INSERT INTO nodes (story_id, parent_id, passage, word_count, created_at) VALUES (?, ?, ?, 1, 1)', [story, parent, 'w']).lastInsertRowid);
const facts = () => db.all('SELECT text, from_node_id FROM facts ORDER BY id');

describe('migration 007: facts that hold from a passage on', () => {
  it('keeps every existing fact for the whole story, and deletes a scoped fact with its passage', () => {
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Salt', 'p', 1, 1)");
    const root = addNode(1);
    db.run("INSERT INTO facts (story_id, text, position, created_at) VALUES (1, 'The sea is cold.', 0, 1)");
    migrate(db, migrations, { to: 7 });
    expect(db.pragma<number>('user_version')).toBe(7);
    expect(facts()).toEqual([{ text: 'The sea is cold.', from_node_id: null }]);

    const branch = addNode(1, root);
    db.run("INSERT INTO facts (story_id, text, position, created_at, from_node_id) VALUES (1, 'Tam is dead.', 1, 1, ?)", [branch]);
    expect(() => db.run("INSERT INTO facts (story_id, text, position, created_at, from_node_id) VALUES (1, 'x', 2, 1, 999)")).toThrow(/FOREIGN KEY/u);
    db.run('DELETE FROM nodes WHERE id = ?', [branch]);
    expect(facts()).toEqual([{ text: 'The sea is cold.', from_node_id: null }]);
  });
});
