import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { NativeError } from '../NativeError.js';
import { SqliteDatabase } from './SqliteDatabase.js';

/** About 40 MB of log at 4 KiB pages. */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;

export interface OpenOptions {
  /**
   * The newest schema version this build understands. A database beyond it is refused before anything is
   * written to it, not even the journal mode, so the newer Longtale that made it finds it as it left it.
   */
  maxSchemaVersion?: number;
}

/**
 * Opens (creating if needed) a SQLite database with the pragmas every Longtale database uses.
 * `:memory:` opens an in-memory database, for tests.
 */
export function openDatabase(file: string, options: OpenOptions = {}): SqliteDatabase {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') ensureDir(path.dirname(path.resolve(file)));
    db = new Database(file);
    // Read-only checks first: a damaged or newer database must be refused before anything writes to it.
    const problem = file === ':memory:' ? 'ok' : (db.pragma('quick_check', { simple: true }) as string);
    if (problem !== 'ok') throw new NativeError('DB_CORRUPT', `${file} is damaged (${problem}).`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (options.maxSchemaVersion !== undefined && version > options.maxSchemaVersion) {
      throw new NativeError(
        'DB_TOO_NEW',
        `${file} is at schema version ${version}; this version of Longtale knows versions up to ${options.maxSchemaVersion}.`,
      );
    }
    db.pragma('journal_mode = WAL');
    // NORMAL: a commit does not wait for the disk (FULL made the fsync most of a step commit: 3-4 ms at the
    // median and tens of ms at the 99th percentile on a busy disk). A committed transaction survives a crash of
    // the app either way; SqliteDatabase syncs the log right after each write transaction, off the event loop,
    // and the engine answers a request only once that sync is done (Engine.durable), so what a user was shown as
    // saved survives a power cut too.
    db.pragma('synchronous = NORMAL');
    // SQLite checkpoints inside the commit that fills the log past this many pages; SqliteDatabase checkpoints
    // at idle time after every write instead, so this is only a backstop (a long synchronous import, say). At the
    // default of 1,000 pages (about 40 steps) one step commit in forty paid for copying 4 MB.
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Touch the file so a read-only or unwritable location fails here, at open, and not mid-story.
    db.exec('BEGIN IMMEDIATE; COMMIT;');
    return new SqliteDatabase(db);
  } catch (error) {
    db?.close();
    if (error instanceof NativeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      throw new NativeError('DB_CORRUPT', `${file} is damaged or is not a Longtale database (${reason}).`, { cause: error });
    }
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
