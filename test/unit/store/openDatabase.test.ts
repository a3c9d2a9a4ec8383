import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NativeError } from '../../../native/NativeError.js';
import { openDatabase, type SqliteDatabase } from '../../../native/sqlite/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface ChildOutcome {
  killed: boolean;
  result: { name?: string; code?: string; message: string };
}

/** Runs openDatabase(file) in a separate Node process (through tsx), killed after `timeoutMs`. */
function openInChild(file: string, timeoutMs: number): Promise<ChildOutcome> {
  const script = `
    const { openDatabase } = await import(process.argv[1]);
    try {
      openDatabase(process.argv[2]).dispose();
      console.log(JSON.stringify({ message: 'opened' }));
    } catch (e) {
      console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
    }`;
  const entry = path.join(repoRoot, 'native/sqlite/index.ts');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, entry, file],
      { cwd: repoRoot, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const killed = error !== null && (error.killed || error.signal !== null);
        const line = stdout.trim().split('\n').at(-1) ?? '';
        let result: ChildOutcome['result'];
        try {
          result = JSON.parse(line) as ChildOutcome['result'];
        } catch {
          result = { message: `no result from the child; stderr: ${stderr}` };
        }
        resolve({ killed, result });
      },
    );
  });
}

function openError(file: string): NativeError {
  try {
    openDatabase(file).dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    return error as NativeError;
  }
  throw new Error(`openDatabase(${file}) did not fail`);
}

describe('openDatabase', () => {
  let dir: string;
  const open: SqliteDatabase[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-open-'));
  });

  afterEach(() => {
    for (const db of open.splice(0)) db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function track(db: SqliteDatabase): SqliteDatabase {
    open.push(db);
    return db;
  }

  describe('on a temp file', () => {
    it('sets the pragmas every Longtale database uses', () => {
      const db = track(openDatabase(path.join(dir, 'p.db')));
      expect(db.pragma<string>('journal_mode')).toBe('wal');
      expect(db.pragma<number>('foreign_keys')).toBe(1);
      expect(db.pragma<number>('synchronous')).toBe(1); // NORMAL: the log is synced after the commit
      expect(db.pragma<number>('busy_timeout')).toBe(5000);
      expect(db.pragma<number>('wal_autocheckpoint')).toBe(10_000);
    });

    it('syncs the log to disk after each write transaction, without the commit waiting for it', async () => {
      const file = path.join(dir, 'sync.db');
      const db = track(openDatabase(file));
      db.exec('CREATE TABLE t (x INTEGER)');
      const fsync = vi.spyOn(fs, 'fsync');
      try {
        db.transaction(() => db.run('INSERT INTO t VALUES (1)'));
        db.transaction(() => db.run('INSERT INTO t VALUES (2)'));
        expect(fsync).not.toHaveBeenCalled();
        await db.logSynced();
        // Both commits are covered: the second write queued one more sync after the first.
        expect(fsync).toHaveBeenCalledTimes(2);
      } finally {
        fsync.mockRestore();
      }
    });

    it('checkpoints when the event loop is idle after 32 write transactions, never inside a commit', () => {
      vi.useFakeTimers();
      try {
        const file = path.join(dir, 'idle.db');
        const db = track(openDatabase(file));
        db.exec('CREATE TABLE t (b BLOB)');
        const before = fs.statSync(file).size;
        const write = () => db.transaction(() => db.run('INSERT INTO t VALUES (?)', [randomBytes(10_000)]));
        for (let i = 0; i < 31; i++) write();
        vi.runAllTimers();
        // Committed, in the log only: the database file has not grown.
        expect(fs.statSync(file).size).toBeLessThan(before + 100_000);
        write();
        expect(fs.statSync(file).size).toBeLessThan(before + 100_000);
        vi.runAllTimers();
        expect(fs.statSync(file).size).toBeGreaterThan(before + 320_000);
        expect(db.checkpointIfDue()).toBeNull();
      } finally {
        vi.useRealTimers();
      }
    });

    it('creates the file at once (the open touches it) and reports its path', () => {
      const file = path.join(dir, 'touched.db');
      const db = track(openDatabase(file));
      expect(db.isOpen).toBe(true);
      expect(db.path).toBe(file);
      expect(fs.statSync(file).isFile()).toBe(true);
    });

    it('leaves WAL mode recorded in the file, as seen by an independent connection', () => {
      const file = path.join(dir, 'wal.db');
      openDatabase(file).dispose();
      const raw = new Database(file, { readonly: true, fileMustExist: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        raw.close();
      }
    });

    it('creates missing parent folders', () => {
      const file = path.join(dir, 'a', 'b', 'c', 'story.db');
      const db = track(openDatabase(file));
      db.exec('CREATE TABLE t (x)');
      expect(fs.statSync(path.join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
      expect(fs.statSync(file).isFile()).toBe(true);
    });

    it('accepts a relative path, creating its folders relative to the working directory', () => {
      const cwd = process.cwd();
      try {
        process.chdir(dir);
        const db = track(openDatabase(path.join('rel', 'x.db')));
        expect(db.isOpen).toBe(true);
      } finally {
        process.chdir(cwd);
      }
      expect(fs.statSync(path.join(dir, 'rel', 'x.db')).isFile()).toBe(true);
    });

    it('opens an existing database without losing its content', () => {
      const file = path.join(dir, 'existing.db');
      const raw = new Database(file);
      raw.exec(`CREATE TABLE t (x); INSERT INTO t VALUES ('kept')`);
      raw.close();
      const db = track(openDatabase(file));
      expect(db.all('SELECT x FROM t')).toEqual([{ x: 'kept' }]);
    });
  });

  describe(':memory:', () => {
    it('opens with foreign keys on and creates no file', () => {
      const cwd = process.cwd();
      try {
        process.chdir(dir);
        const db = track(openDatabase(':memory:'));
        expect(db.pragma<number>('foreign_keys')).toBe(1);
        expect(db.pragma<string>('journal_mode')).toBe('memory'); // WAL is not available in memory
      } finally {
        process.chdir(cwd);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });

  describe('failures', () => {
    it('gives DB_OPEN_FAILED naming the path when the parent is a regular file, creating nothing', () => {
      const blocker = path.join(dir, 'not-a-folder');
      fs.writeFileSync(blocker, 'plain text');
      const file = path.join(blocker, 'story.db');

      const error = openError(file);
      expect(error.code).toBe('DB_OPEN_FAILED');
      expect(error.message).toContain(file);
      expect(error.cause).toBeDefined();

      expect(fs.readdirSync(dir)).toEqual(['not-a-folder']);
      expect(fs.readFileSync(blocker, 'utf8')).toBe('plain text');
    });

    it('gives DB_OPEN_FAILED when a grandparent is a regular file, creating nothing', () => {
      const blocker = path.join(dir, 'file');
      fs.writeFileSync(blocker, '');
      const file = path.join(blocker, 'deeper', 'story.db');
      const error = openError(file);
      expect(error.code).toBe('DB_OPEN_FAILED');
      expect(error.message).toContain(file);
      expect(fs.readdirSync(dir)).toEqual(['file']);
    });

    it.skipIf(process.platform !== 'linux')(
      'fails fast with DB_OPEN_FAILED under /proc (this path used to hang forever)',
      async () => {
        // A hang here would be a synchronous spin inside mkdirSync, which no in-process timeout can interrupt,
        // so the first attempt runs in a child process that is killed after 5 s.
        const file = '/proc/longtale-nope/x.db';
        const outcome = await openInChild(file, 5_000);
        expect(outcome.killed, `openDatabase(${file}) was still running after 5 s`).toBe(false);
        expect(outcome.result).toMatchObject({ name: 'NativeError', code: 'DB_OPEN_FAILED' });
        expect(outcome.result.message).toContain(file);

        // It is safe to try in-process now.
        const error = openError(file);
        expect(error.code).toBe('DB_OPEN_FAILED');
        expect(error.message).toContain(file);
        expect(fs.existsSync('/proc/longtale-nope')).toBe(false);
      },
      10_000,
    );

    it('gives DB_CORRUPT for a file that is not a SQLite database, and leaves its bytes alone', () => {
      const file = path.join(dir, 'noise.db');
      let bytes = randomBytes(4096);
      // Vanishingly unlikely, but a random file that started with the SQLite signature would test nothing.
      while (bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') bytes = randomBytes(4096);
      fs.writeFileSync(file, bytes);

      const error = openError(file);
      expect(error.code).toBe('DB_CORRUPT');
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/not a database/i);

      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(['noise.db']); // no -wal or -shm left behind
    });

    it('gives DB_OPEN_FAILED when the path is a directory', () => {
      const error = openError(dir);
      expect(error.code).toBe('DB_OPEN_FAILED');
      expect(error.message).toContain(dir);
    });

    it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
      'gives DB_OPEN_FAILED in a folder it cannot write, at open rather than at the first write',
      () => {
        const locked = path.join(dir, 'locked');
        fs.mkdirSync(locked, { mode: 0o500 });
        try {
          const error = openError(path.join(locked, 'story.db'));
          expect(error.code).toBe('DB_OPEN_FAILED');
        } finally {
          fs.chmodSync(locked, 0o700);
        }
        expect(fs.readdirSync(locked)).toEqual([]);
      },
    );
  });
});
