import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration001 } from '../../../electron/store/migrations/001-stories-and-nodes.js';
import { migrations } from '../../../electron/store/migrations/index.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

interface ColumnInfo {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

interface PlanRow {
  id: number;
  parent: number;
  notused: number;
  detail: string;
}

function columns(db: SqliteDatabase, table: string): ColumnInfo[] {
  return db.all<ColumnInfo>(`SELECT * FROM pragma_table_info('${table}') ORDER BY cid`);
}

function plan(db: SqliteDatabase, sql: string, params: (number | string)[]): string {
  return db
    .all<PlanRow>(`EXPLAIN QUERY PLAN ${sql}`, params)
    .map((r) => r.detail)
    .join('\n');
}

describe('migration 001: stories and nodes', () => {
  let db: SqliteDatabase;

  beforeEach(() => {
    db = openDatabase(':memory:');
  });

  afterEach(() => {
    db.dispose();
  });

  it('is the first migration in the list', () => {
    expect(migrations[0]).toBe(migration001);
    expect(migration001.version).toBe(1);
  });

  it('starts from an empty database at version 0', () => {
    expect(migrate(db, migrations, { to: 0 })).toBe(0);
    expect(db.pragma<number>('user_version')).toBe(0);
    expect(db.all(`SELECT name FROM sqlite_schema WHERE type = 'table'`)).toEqual([]);
  });

  describe('after migrating 0 → 1', () => {
    beforeEach(() => {
      migrate(db, migrations, { to: 0 });
      expect(migrate(db, migrations, { to: 1 })).toBe(1);
    });

    it('sets user_version to 1', () => {
      expect(db.pragma<number>('user_version')).toBe(1);
    });

    it('creates stories with the expected columns', () => {
      expect(columns(db, 'stories').map((c) => [c.name, c.type, c.notnull, c.pk])).toEqual([
        ['id', 'INTEGER', 0, 1],
        ['title', 'TEXT', 1, 0],
        ['premise', 'TEXT', 1, 0],
        ['current_node_id', 'INTEGER', 0, 0],
        ['created_at', 'INTEGER', 1, 0],
        ['updated_at', 'INTEGER', 1, 0],
      ]);
    });

    it('creates nodes with the expected columns', () => {
      expect(columns(db, 'nodes').map((c) => [c.name, c.type, c.notnull, c.dflt_value, c.pk])).toEqual([
        ['id', 'INTEGER', 0, null, 1],
        ['story_id', 'INTEGER', 1, null, 0],
        ['parent_id', 'INTEGER', 0, null, 0],
        ['sibling_order', 'INTEGER', 1, '0', 0],
        ['passage', 'TEXT', 1, null, 0],
        ['word_count', 'INTEGER', 1, null, 0],
        ['state', 'TEXT', 1, "'{}'", 0],
        ['created_at', 'INTEGER', 1, null, 0],
      ]);
    });

    it('creates settings with the expected columns', () => {
      expect(columns(db, 'settings').map((c) => [c.name, c.type, c.notnull, c.pk])).toEqual([
        // STRICT tables make a non-INTEGER PRIMARY KEY NOT NULL by themselves.
        ['key', 'TEXT', 1, 1],
        ['value', 'TEXT', 1, 0],
      ]);
    });

    it('makes all three tables STRICT', () => {
      const rows = db.all<{ name: string; strict: number }>(
        `SELECT name, strict FROM pragma_table_list
         WHERE schema = 'main' AND name IN ('stories', 'nodes', 'settings') ORDER BY name`,
      );
      expect(rows).toEqual([
        { name: 'nodes', strict: 1 },
        { name: 'settings', strict: 1 },
        { name: 'stories', strict: 1 },
      ]);
    });

    it('enforces STRICT typing (a text word_count is refused)', () => {
      db.run(`INSERT INTO stories (id, title, premise, created_at, updated_at) VALUES (1, 't', 'p', 0, 0)`);
      expect(() =>
        db.run(`INSERT INTO nodes (story_id, passage, word_count, created_at) VALUES (1, 'x', 'many', 0)`),
      ).toThrow(/cannot store TEXT value in INTEGER column/);
    });

    it('has foreign keys on', () => {
      expect(db.pragma<number>('foreign_keys')).toBe(1);
      expect(db.all('PRAGMA foreign_key_check')).toEqual([]);
    });

    it('cascades a story delete to its nodes and leaves other stories alone', () => {
      db.exec(`
        INSERT INTO stories (id, title, premise, created_at, updated_at) VALUES (1, 'a', 'p', 0, 0), (2, 'b', 'p', 0, 0);
        INSERT INTO nodes (id, story_id, parent_id, passage, word_count, created_at) VALUES
          (10, 1, NULL, 'root', 1, 0), (11, 1, 10, 'child', 1, 0), (12, 1, 11, 'grandchild', 1, 0),
          (20, 2, NULL, 'other', 1, 0);
        UPDATE stories SET current_node_id = 12 WHERE id = 1;
        UPDATE stories SET current_node_id = 20 WHERE id = 2;
      `);
      expect(db.run('DELETE FROM stories WHERE id = 1').changes).toBe(1);
      expect(db.all<{ id: number }>('SELECT id FROM nodes ORDER BY id')).toEqual([{ id: 20 }]);
      expect(db.get<{ current_node_id: number }>('SELECT current_node_id FROM stories WHERE id = 2')).toEqual({
        current_node_id: 20,
      });
      expect(db.all('PRAGMA foreign_key_check')).toEqual([]);
    });

    it('refuses a node whose story does not exist', () => {
      expect(() =>
        db.run(`INSERT INTO nodes (story_id, parent_id, passage, word_count, created_at) VALUES (999, NULL, 'x', 1, 0)`),
      ).toThrow(/FOREIGN KEY constraint failed/);
      expect(db.get<{ n: number }>('SELECT count(*) AS n FROM nodes')).toEqual({ n: 0 });
    });

    it('refuses a node whose parent does not exist', () => {
      db.run(`INSERT INTO stories (id, title, premise, created_at, updated_at) VALUES (1, 't', 'p', 0, 0)`);
      expect(() =>
        db.run(`INSERT INTO nodes (story_id, parent_id, passage, word_count, created_at) VALUES (1, 999, 'x', 1, 0)`),
      ).toThrow(/FOREIGN KEY constraint failed/);
    });

    it('refuses a current_node_id that does not exist (checked at commit: the key is deferred) that does not exist', () => {
      db.run(`INSERT INTO stories (id, title, premise, created_at, updated_at) VALUES (1, 't', 'p', 0, 0)`);
      expect(() => db.run('UPDATE stories SET current_node_id = 999 WHERE id = 1')).toThrow(
        /FOREIGN KEY constraint failed/,
      );
    });

    it('looks up children by parent through nodes_by_parent, already in sibling order', () => {
      const detail = plan(db, 'SELECT id, passage FROM nodes WHERE parent_id = ? ORDER BY sibling_order', [1]);
      expect(detail).toMatch(/SEARCH nodes USING INDEX nodes_by_parent \(parent_id=\?\)/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('counts a story’s nodes through nodes_by_story', () => {
      const detail = plan(db, 'SELECT count(*) FROM nodes WHERE story_id = ?', [1]);
      expect(detail).toMatch(/SEARCH nodes USING (COVERING )?INDEX nodes_by_story \(story_id=\?\)/);
    });
  });
});
