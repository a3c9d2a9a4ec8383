import fs from 'node:fs';
import path from 'node:path';
import { copyDatabase, type SqliteDatabase } from '../../native/sqlite/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Backups kept; older ones are removed after a new one is written. */
export const KEEP_BACKUPS = 7;

/**
 * Backups of a story database, in a `backups` folder beside it: one before every migration, and otherwise at
 * most one a day. Names sort by time: `<db name>-YYYYMMDD-HHMMSS.db`.
 */
export class Backups {
  readonly dbPath: string;
  readonly folder: string;
  readonly #now: () => number;

  constructor(dbPath: string, now: () => number = Date.now) {
    this.dbPath = path.resolve(dbPath);
    this.folder = path.join(path.dirname(this.dbPath), 'backups');
    this.#now = now;
  }

  /** Newest first. */
  list(): string[] {
    const prefix = `${path.basename(this.dbPath, '.db')}-`;
    try {
      return fs
        .readdirSync(this.folder)
        .filter((name) => name.startsWith(prefix) && name.endsWith('.db'))
        .sort()
        .reverse()
        .map((name) => path.join(this.folder, name));
    } catch {
      return [];
    }
  }

  latest(): string | undefined {
    return this.list()[0];
  }

  /** Backs up when the newest backup is a day old or missing; `force` backs up anyway (before a migration). */
  backUp(db: SqliteDatabase, force = false): string | undefined {
    const latest = this.latest();
    if (!force && latest && this.#now() - fs.statSync(latest).mtimeMs < DAY_MS) return undefined;
    fs.mkdirSync(this.folder, { recursive: true });
    const target = path.join(this.folder, `${path.basename(this.dbPath, '.db')}-${stamp(this.#now())}.db`);
    copyDatabase(db, target);
    for (const old of this.list().slice(KEEP_BACKUPS)) fs.rmSync(old, { force: true });
    return target;
  }

  /**
   * Puts a backup in place of the database. The current file (damaged, presumably) is kept beside it as
   * `<name>.corrupt-<stamp>` with its WAL, never overwritten or deleted.
   */
  restore(backup: string | undefined = this.latest()): { restored: string; keptAs: string | undefined } {
    if (!backup || !fs.existsSync(backup)) throw new Error(`There is no backup to restore in ${this.folder}.`);
    let keptAs: string | undefined;
    if (fs.existsSync(this.dbPath)) {
      keptAs = `${this.dbPath}.corrupt-${stamp(this.#now())}`;
      fs.renameSync(this.dbPath, keptAs);
      for (const suffix of ['-wal', '-shm']) {
        if (fs.existsSync(this.dbPath + suffix)) fs.renameSync(this.dbPath + suffix, keptAs + suffix);
      }
    }
    fs.copyFileSync(backup, this.dbPath);
    return { restored: backup, keptAs };
  }
}

function stamp(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/gu, '').replace('T', '-').slice(0, 15);
}
