import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration003 } from '../../../electron/store/migrations/003-node-tokens.js';
import { migrations } from '../../../electron/store/migrations/index.js';
import { encodeSurprisal } from '../../../electron/store/surprisalBlob.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

describe('migration 003: node tokens', () => {
  let db: SqliteDatabase;

  beforeEach(() => {
    db = openDatabase(':memory:');
  });

  afterEach(() => {
    db.dispose();
  });

  it('is the third migration in the list', () => {
    expect(migrations[2]).toBe(migration003);
    expect(migration003.version).toBe(3);
  });

  describe('after migrating 2 → 3 with rows in place', () => {
    beforeEach(() => {
      expect(migrate(db, migrations, { to: 2 })).toBe(2);
      db.exec(`
        INSERT INTO stories (id, title, premise, created_at, updated_at) VALUES (1, 'The Lighthouse', 'A knock.', 100, 500);
        INSERT INTO nodes (id, story_id, parent_id, passage, word_count, state, created_at) VALUES
          (10, 1, NULL, 'The lamp turned.', 3, '{"keyMemory":[{"text":"The lamp is old.","kind":"canon","score":2,"pinned":true}]}', 100),
          (11, 1, 10, 'A knock came.', 3, '{}', 110);
        UPDATE stories SET current_node_id = 11 WHERE id = 1;
      `);
      expect(migrate(db, migrations, { to: 3 })).toBe(3);
    });

    it('sets user_version to 3 and leaves the nodes and their state as they were', () => {
      expect(db.pragma<number>('user_version')).toBe(3);
      expect(db.all('SELECT id, passage, state FROM nodes ORDER BY id')).toEqual([
        { id: 10, passage: 'The lamp turned.', state: '{"keyMemory":[{"text":"The lamp is old.","kind":"canon","score":2,"pinned":true}]}' },
        { id: 11, passage: 'A knock came.', state: '{}' },
      ]);
    });

    it('creates a STRICT node_tokens table keyed by node, empty for existing nodes', () => {
      const columns = db.all<ColumnInfo>(`SELECT name, type, "notnull", pk FROM pragma_table_info('node_tokens') ORDER BY cid`);
      expect(columns.map((c) => [c.name, c.type, c.notnull, c.pk])).toEqual([
        ['node_id', 'INTEGER', 0, 1],
        ['count', 'INTEGER', 1, 0],
        ['texts', 'TEXT', 1, 0],
        ['surprisal', 'BLOB', 1, 0],
      ]);
      expect(db.get(`SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = 'node_tokens'`)).toEqual({ strict: 1 });
      expect(db.all('SELECT * FROM node_tokens')).toEqual([]);
    });

    it('holds two bytes a token, refuses a blob of the wrong length or a node that does not exist', () => {
      db.run('INSERT INTO node_tokens (node_id, count, texts, surprisal) VALUES (?, ?, ?, ?)', [10, 2, '["The"," lamp"]', encodeSurprisal([1.5, 0.25])]);
      expect(() =>
        db.run('INSERT INTO node_tokens (node_id, count, texts, surprisal) VALUES (?, ?, ?, ?)', [11, 3, '[]', encodeSurprisal([1])]),
      ).toThrow(/CHECK constraint failed/);
      expect(() =>
        db.run('INSERT INTO node_tokens (node_id, count, texts, surprisal) VALUES (?, ?, ?, ?)', [99, 0, '[]', Buffer.alloc(0)]),
      ).toThrow(/FOREIGN KEY constraint failed/);
    });

    it('drops a node\'s tokens with the node, and a story\'s with the story', () => {
      db.run('INSERT INTO node_tokens (node_id, count, texts, surprisal) VALUES (?, ?, ?, ?)', [11, 1, '["A"]', encodeSurprisal([3])]);
      db.run('INSERT INTO node_tokens (node_id, count, texts, surprisal) VALUES (?, ?, ?, ?)', [10, 1, '["The"]', encodeSurprisal([3])]);
      db.run('DELETE FROM nodes WHERE id = 11');
      expect(db.all('SELECT node_id FROM node_tokens')).toEqual([{ node_id: 10 }]);
      db.run('UPDATE stories SET current_node_id = 10 WHERE id = 1');
      db.run('DELETE FROM stories WHERE id = 1');
      expect(db.all('SELECT node_id FROM node_tokens')).toEqual([]);
      expect(db.all('PRAGMA foreign_key_check')).toEqual([]);
    });
  });

  it('migrates an empty version-2 database', () => {
    migrate(db, migrations, { to: 2 });
    expect(migrate(db, migrations, { to: 3 })).toBe(3);
    expect(db.all('SELECT * FROM node_tokens')).toEqual([]);
  });
});
