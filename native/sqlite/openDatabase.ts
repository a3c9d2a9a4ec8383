import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { NativeError } from '../NativeError.js';
import { SqliteDatabase } from './SqliteDatabase.js';

/**
 * Opens (creating if needed) a SQLite database with the pragmas every Longtale database uses.
 * `:memory:` opens an in-memory database, for tests.
 */
export function openDatabase(file: string): SqliteDatabase {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') ensureDir(path.dirname(path.resolve(file)));
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a committed passage is
    // someone's writing. A step commits once per several seconds of generation, so the extra fsync is free.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Touch the file so a read-only or unwritable location fails here, at open, and not mid-story.
    db.exec('BEGIN IMMEDIATE; COMMIT;');
    return new SqliteDatabase(db);
  } catch (error) {
    db?.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new NativeError('DB_OPEN_FAILED', `${file}: ${reason}`, { cause: error });
  }
}

/**
 * mkdir -p, by hand: Node's recursive mkdirSync spins forever on some paths (for example under /proc), and a
 * bad --db path must fail at once with a message.
 */
function ensureDir(dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) ensureDir(parent);
  try {
    fs.mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
