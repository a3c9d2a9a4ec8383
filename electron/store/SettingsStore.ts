import type { SqliteDatabase } from '../../native/sqlite/index.js';

/** Small key-value settings kept with the stories, such as the last model used. */
export class SettingsStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  get(key: string): string | undefined {
    return this.#db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key])?.value;
  }

  set(key: string, value: string): void {
    this.#db.run(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  delete(key: string): void {
    this.#db.run('DELETE FROM settings WHERE key = ?', [key]);
  }
}
