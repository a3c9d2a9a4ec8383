import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/store/migrations/index.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, migrations, { to: 7 });
});
afterEach(() => db.dispose());

describe('migration 008: settings of a story’s own', () => {
  it('leaves every existing story following the app’s settings with no phrases to avoid, and stores only valid JSON', () => {
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Salt', 'p', 1, 1)");
    migrate(db, migrations, { to: 8 });
    expect(db.pragma<number>('user_version')).toBe(8);
    expect(db.all('SELECT title, settings, avoid FROM stories')).toEqual([{ title: 'Salt', settings: '{}', avoid: '[]' }]);

    db.run('UPDATE stories SET settings = ? WHERE id = 1', ['{"passageTokens":120}']);
    expect(db.get<{ settings: string }>('SELECT settings FROM stories')?.settings).toBe('{"passageTokens":120}');
    for (const bad of ['not json', '[1,2]', '3']) {
      expect(() => db.run('UPDATE stories SET settings = ? WHERE id = 1', [bad])).toThrow(/CHECK constraint/u);
    }
    db.run('UPDATE stories SET avoid = ? WHERE id = 1', ['["a chill ran"]']);
    expect(() => db.run('UPDATE stories SET avoid = ? WHERE id = 1', ['{"a": 1}'])).toThrow(/CHECK constraint/u);
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Ash', 'p', 1, 1)");
    expect(db.get<{ settings: string }>('SELECT settings FROM stories WHERE id = 2')?.settings).toBe('{}');
  });
});
