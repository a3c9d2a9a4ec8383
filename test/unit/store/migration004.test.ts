import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/store/migrations/index.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, migrations, { to: 3 });
});
afterEach(() => db.dispose());

describe('migration 004: story trash', () => {
  it('keeps existing stories live and adds deleted_at with an index for the library query', () => {
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Salt', 'p', 1, 2)");
    migrate(db, migrations, { to: 4 });
    expect(db.pragma<number>('user_version')).toBe(4);
    expect(db.all('SELECT title, deleted_at FROM stories')).toEqual([{ title: 'Salt', deleted_at: null }]);
    const plan = db.all<{ detail: string }>('EXPLAIN QUERY PLAN SELECT id FROM stories WHERE deleted_at IS NULL ORDER BY updated_at DESC');
    expect(plan.map((p) => p.detail).join(' ')).toContain('stories_by_deleted');
  });
});
