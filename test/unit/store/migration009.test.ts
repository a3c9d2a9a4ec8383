import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/store/migrations/index.js';
import { migrate, openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:');
  migrate(db, migrations, { to: 8 });
});
afterEach(() => db.dispose());

const add = (story: number, question: string, answer: string) =>
  db.run('INSERT INTO saved_checks (story_id, question, answer, position, created_at) VALUES (?, ?, ?, 0, 1)', [story, question, answer]);

describe('migration 009: saved continuity checks', () => {
  it('keeps checks per story, refuses an empty question or answer or a missing story, and deletes them with the story', () => {
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Salt', 'p', 1, 1)");
    migrate(db, migrations, { to: 9 });
    expect(db.pragma<number>('user_version')).toBe(9);
    add(1, 'Who keeps the lamp?', 'Mara');
    expect(() => add(1, '  ', 'Mara')).toThrow(/CHECK constraint/u);
    expect(() => add(1, 'Who?', '')).toThrow(/CHECK constraint/u);
    expect(() => add(7, 'Who?', 'Mara')).toThrow(/FOREIGN KEY/u);
    expect(db.all('SELECT question, answer FROM saved_checks')).toEqual([{ question: 'Who keeps the lamp?', answer: 'Mara' }]);
    db.run('DELETE FROM stories WHERE id = 1');
    expect(db.all('SELECT * FROM saved_checks')).toEqual([]);
  });
});
