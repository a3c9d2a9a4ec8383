import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/store/migrations/index.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, migrations, { to: 4 });
});
afterEach(() => db.dispose());

describe('migration 005: covering index for story counts', () => {
  it('keeps the rows and answers count and sum of words from the index alone', () => {
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Salt', 'p', 1, 1)");
    db.run("INSERT INTO nodes (story_id, passage, word_count, created_at) VALUES (1, 'a b c', 3, 1)");
    migrate(db, migrations, { to: 5 });
    expect(db.pragma<number>('user_version')).toBe(5);
    expect(db.get('SELECT count(*) AS n, sum(word_count) AS w FROM nodes WHERE story_id = 1')).toEqual({ n: 1, w: 3 });
    const plan = db.all<{ detail: string }>('EXPLAIN QUERY PLAN SELECT coalesce(sum(word_count), 0) FROM nodes WHERE story_id = 1');
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/COVERING INDEX nodes_by_story_words/u);
  });
});
