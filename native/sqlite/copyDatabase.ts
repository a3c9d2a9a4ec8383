import fs from 'node:fs';
import { NativeError } from '../NativeError.js';
import type { SqliteDatabase } from './SqliteDatabase.js';

/**
 * A consistent copy of an open database at `target`, made with `VACUUM INTO` (a transactionally consistent
 * snapshot, compacted). It is synchronous, unlike better-sqlite3's backup(), so the store can take a backup
 * before a migration without making opening asynchronous. Written under a temporary name and renamed, so a
 * crash never leaves a half backup that looks whole.
 */
export function copyDatabase(db: SqliteDatabase, target: string): void {
  // A temporary name of this process's own: two apps on one database may back it up in the same second.
  const temp = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`;
  try {
    fs.rmSync(temp, { force: true });
    db.run('VACUUM INTO ?', [temp]);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new NativeError('DB_WRITE_FAILED', `Could not back up ${db.path} to ${target}: ${reason}`, { cause: error });
  }
}
