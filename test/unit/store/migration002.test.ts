import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration002 } from '../../../electron/store/migrations/002-story-tree.js';
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

function ftsMatches(db: SqliteDatabase, query: string): number[] {
  return db
    .all<{ rowid: number }>('SELECT rowid FROM nodes_fts WHERE nodes_fts MATCH ? ORDER BY rowid', [query])
    .map((r) => r.rowid);
}

/**
 * Version-1 fixture: two stories. Story 1 is a tree (10 → 11 → 12, and 10 → 13) left at 12; story 2 is a single
 * node. Node 11's state is what the walking skeleton wrote; node 13's is corrupt.
 */
function insertVersion1Fixture(db: SqliteDatabase): void {
  db.exec(`
    INSERT INTO stories (id, title, premise, created_at, updated_at) VALUES
      (1, 'The Lighthouse', 'A keeper hears a knock.', 100, 500),
      (2, 'Other', 'Elsewhere.', 200, 300);
    INSERT INTO nodes (id, story_id, parent_id, sibling_order, passage, word_count, state, created_at) VALUES
      (10, 1, NULL, 0, 'The lamp turned all night above the harbour.', 8, '{}', 100),
      (11, 1, 10, 0, 'A knock came at the door of the lighthouse.', 9, '{"stats":{"generatedTokens":40},"model":"tiny"}', 110),
      (12, 1, 11, 0, 'She opened it and found a letter.', 7, '{}', 120),
      (13, 1, 10, 1, 'The storm tore the shutters away.', 6, 'not json', 130),
      (20, 2, NULL, 0, 'Mountains stood over the village.', 5, '{}', 200);
    UPDATE stories SET current_node_id = 12 WHERE id = 1;
    UPDATE stories SET current_node_id = 20 WHERE id = 2;
  `);
}

describe('migration 002: story tree', () => {
  let db: SqliteDatabase;

  beforeEach(() => {
    db = openDatabase(':memory:');
  });

  afterEach(() => {
    db.dispose();
  });

  it('is the second migration in the list', () => {
    expect(migrations[1]).toBe(migration002);
    expect(migration002.version).toBe(2);
  });

  describe('after migrating 1 → 2 with rows in place', () => {
    beforeEach(() => {
      expect(migrate(db, migrations, { to: 1 })).toBe(1);
      insertVersion1Fixture(db);
      expect(migrate(db, migrations, { to: 2 })).toBe(2);
    });

    it('sets user_version to 2', () => {
      expect(db.pragma<number>('user_version')).toBe(2);
    });

    it('adds genre, style and outline to stories, empty for existing rows', () => {
      expect(columns(db, 'stories').map((c) => [c.name, c.type, c.notnull, c.dflt_value])).toEqual([
        ['id', 'INTEGER', 0, null],
        ['title', 'TEXT', 1, null],
        ['premise', 'TEXT', 1, null],
        ['current_node_id', 'INTEGER', 0, null],
        ['created_at', 'INTEGER', 1, null],
        ['updated_at', 'INTEGER', 1, null],
        ['genre', 'TEXT', 1, "''"],
        ['style', 'TEXT', 1, "''"],
        ['outline', 'TEXT', 1, "''"],
      ]);
      expect(db.all('SELECT id, title, premise, current_node_id, created_at, updated_at, genre, style, outline FROM stories ORDER BY id')).toEqual([
        { id: 1, title: 'The Lighthouse', premise: 'A keeper hears a knock.', current_node_id: 12, created_at: 100, updated_at: 500, genre: '', style: '', outline: '' },
        { id: 2, title: 'Other', premise: 'Elsewhere.', current_node_id: 20, created_at: 200, updated_at: 300, genre: '', style: '', outline: '' },
      ]);
    });

    it('adds summary, instruction, stale, edited_at and visited_at to nodes', () => {
      expect(columns(db, 'nodes').map((c) => [c.name, c.type, c.notnull, c.dflt_value])).toEqual([
        ['id', 'INTEGER', 0, null],
        ['story_id', 'INTEGER', 1, null],
        ['parent_id', 'INTEGER', 0, null],
        ['sibling_order', 'INTEGER', 1, '0'],
        ['passage', 'TEXT', 1, null],
        ['word_count', 'INTEGER', 1, null],
        ['state', 'TEXT', 1, "'{}'"],
        ['created_at', 'INTEGER', 1, null],
        ['summary', 'TEXT', 1, "''"],
        ['instruction', 'TEXT', 1, `'{"kind":"opening"}'`],
        ['stale', 'INTEGER', 1, '0'],
        ['edited_at', 'INTEGER', 0, null],
        ['visited_at', 'INTEGER', 0, null],
      ]);
    });

    it('keeps every node as it was, with the new defaults', () => {
      expect(
        db.all(`SELECT id, story_id, parent_id, sibling_order, passage, word_count, state, created_at,
                       summary, instruction, stale, edited_at FROM nodes ORDER BY id`),
      ).toEqual([
        { id: 10, story_id: 1, parent_id: null, sibling_order: 0, passage: 'The lamp turned all night above the harbour.', word_count: 8, state: '{}', created_at: 100, summary: '', instruction: '{"kind":"opening"}', stale: 0, edited_at: null },
        { id: 11, story_id: 1, parent_id: 10, sibling_order: 0, passage: 'A knock came at the door of the lighthouse.', word_count: 9, state: '{"stats":{"generatedTokens":40},"model":"tiny"}', created_at: 110, summary: '', instruction: '{"kind":"opening"}', stale: 0, edited_at: null },
        { id: 12, story_id: 1, parent_id: 11, sibling_order: 0, passage: 'She opened it and found a letter.', word_count: 7, state: '{}', created_at: 120, summary: '', instruction: '{"kind":"opening"}', stale: 0, edited_at: null },
        { id: 13, story_id: 1, parent_id: 10, sibling_order: 1, passage: 'The storm tore the shutters away.', word_count: 6, state: 'not json', created_at: 130, summary: '', instruction: '{"kind":"opening"}', stale: 0, edited_at: null },
        { id: 20, story_id: 2, parent_id: null, sibling_order: 0, passage: 'Mountains stood over the village.', word_count: 5, state: '{}', created_at: 200, summary: '', instruction: '{"kind":"opening"}', stale: 0, edited_at: null },
      ]);
    });

    it('marks the path each story was left at as visited at its last update, and nothing else', () => {
      expect(db.all('SELECT id, visited_at FROM nodes ORDER BY id')).toEqual([
        { id: 10, visited_at: 500 },
        { id: 11, visited_at: 500 },
        { id: 12, visited_at: 500 },
        { id: 13, visited_at: null },
        { id: 20, visited_at: 300 },
      ]);
    });

    it('refuses a stale flag other than 0 or 1', () => {
      expect(() => db.run('UPDATE nodes SET stale = 2 WHERE id = 10')).toThrow(/CHECK constraint failed/);
    });

    it('indexes the existing passages for full-text search, with porter stemming', () => {
      expect(ftsMatches(db, 'lighthouse')).toEqual([11]);
      expect(ftsMatches(db, 'mountain')).toEqual([20]); // "Mountains" stems to "mountain"
      expect(ftsMatches(db, 'knocking')).toEqual([11]);
      db.exec(`INSERT INTO nodes_fts (nodes_fts) VALUES ('integrity-check')`);
    });

    it('keeps the index in step with inserts, updates of passage or summary, and deletes', () => {
      db.run(`INSERT INTO nodes (id, story_id, parent_id, passage, word_count, summary, created_at)
              VALUES (14, 1, 12, 'The letter was signed by her grandson.', 7, 'A letter from the future.', 140)`);
      expect(ftsMatches(db, 'grandson')).toEqual([14]);
      expect(ftsMatches(db, 'future')).toEqual([14]); // summaries are indexed too

      db.run(`UPDATE nodes SET passage = 'The letter was signed by a stranger.' WHERE id = 14`);
      expect(ftsMatches(db, 'grandson')).toEqual([]);
      expect(ftsMatches(db, 'stranger')).toEqual([14]);
      db.run(`UPDATE nodes SET summary = 'An unsigned note.' WHERE id = 14`);
      expect(ftsMatches(db, 'future')).toEqual([]);
      expect(ftsMatches(db, 'unsigned')).toEqual([14]);
      db.run(`UPDATE nodes SET visited_at = 999, stale = 1 WHERE id = 14`);
      expect(ftsMatches(db, 'stranger')).toEqual([14]);

      db.run('DELETE FROM nodes WHERE id = 14');
      expect(ftsMatches(db, 'stranger')).toEqual([]);
      db.exec(`INSERT INTO nodes_fts (nodes_fts) VALUES ('integrity-check')`);
    });

    it('drops a deleted story’s passages from the index, through the cascades', () => {
      db.run('DELETE FROM stories WHERE id = 1');
      expect(ftsMatches(db, 'lighthouse OR knock OR letter OR storm OR lamp')).toEqual([]);
      expect(ftsMatches(db, 'mountain')).toEqual([20]);
      db.exec(`INSERT INTO nodes_fts (nodes_fts) VALUES ('integrity-check')`);
    });

    it('creates a STRICT facts table that cascades with its story', () => {
      expect(columns(db, 'facts').map((c) => [c.name, c.type, c.notnull, c.pk])).toEqual([
        ['id', 'INTEGER', 0, 1],
        ['story_id', 'INTEGER', 1, 0],
        ['text', 'TEXT', 1, 0],
        ['position', 'INTEGER', 1, 0],
        ['created_at', 'INTEGER', 1, 0],
      ]);
      expect(db.get(`SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = 'facts'`)).toEqual({ strict: 1 });
      db.exec(`INSERT INTO facts (story_id, text, position, created_at) VALUES (1, 'The keeper is called Ada.', 0, 1),
                 (2, 'The village has no church.', 0, 1)`);
      expect(() => db.run(`INSERT INTO facts (story_id, text, position, created_at) VALUES (99, 'x', 0, 1)`)).toThrow(
        /FOREIGN KEY constraint failed/,
      );
      db.run('DELETE FROM stories WHERE id = 1');
      expect(db.all('SELECT story_id, text FROM facts')).toEqual([{ story_id: 2, text: 'The village has no church.' }]);
    });

    it('leaves foreign keys consistent', () => {
      expect(db.all('PRAGMA foreign_key_check')).toEqual([]);
    });

    it('lists a story’s facts in order through facts_by_story, without sorting', () => {
      const detail = plan(db, 'SELECT id, text FROM facts WHERE story_id = ? ORDER BY position', [1]);
      expect(detail).toMatch(/SEARCH facts USING INDEX facts_by_story \(story_id=\?\)/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
    });

    it('finds a story’s latest visit through nodes_by_story_visited', () => {
      const detail = plan(db, 'SELECT max(visited_at) FROM nodes WHERE story_id = ?', [1]);
      expect(detail).toMatch(/SEARCH nodes USING COVERING INDEX nodes_by_story_visited \(story_id=\?\)/);
    });

    it('searches passages through the FTS5 index, not by scanning nodes', () => {
      const detail = plan(db, 'SELECT rowid FROM nodes_fts WHERE nodes_fts MATCH ?', ['letter']);
      expect(detail).toMatch(/SCAN nodes_fts VIRTUAL TABLE INDEX/);
      expect(detail).not.toMatch(/SCAN nodes\b/);
    });
  });

  it('migrates an empty version-1 database', () => {
    migrate(db, migrations, { to: 1 });
    expect(migrate(db, migrations, { to: 2 })).toBe(2);
    expect(db.all('SELECT * FROM nodes_fts')).toEqual([]);
    expect(db.all('SELECT * FROM facts')).toEqual([]);
  });
});
