import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrations } from '../../../electron/store/migrations/index.js';
import { openStore } from '../../../electron/store/openStore.js';
import { NativeError } from '../../../native/NativeError.js';
import { migrate, openDatabase, type Migration, type SqliteDatabase } from '../../../native/sqlite/index.js';

function tableNames(db: SqliteDatabase): string[] {
  return db
    .all<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .map((r) => r.name);
}

function fake(version: number, up: Migration['up'] = () => {}): Migration {
  return { version, name: `fake-${version}`, up };
}

describe('migrate', () => {
  let dir: string;
  const open: SqliteDatabase[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-migrate-'));
  });

  afterEach(() => {
    for (const db of open.splice(0)) db.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function memory(): SqliteDatabase {
    const db = openDatabase(':memory:');
    open.push(db);
    return db;
  }

  describe('idempotence', () => {
    it('running the real migrations twice leaves the version and the data', () => {
      const db = memory();
      expect(migrate(db, migrations)).toBe(migrations.length);
      db.run(`INSERT INTO stories (id, title, premise, created_at, updated_at) VALUES (1, 'T', 'P', 5, 6)`);
      db.run(`INSERT INTO settings (key, value) VALUES ('k', 'v')`);
      const before = db.all(`SELECT sql FROM sqlite_schema ORDER BY name`);

      expect(migrate(db, migrations)).toBe(migrations.length);

      expect(db.pragma<number>('user_version')).toBe(migrations.length);
      expect(db.all(`SELECT sql FROM sqlite_schema ORDER BY name`)).toEqual(before);
      expect(db.all('SELECT id, title, premise, created_at, updated_at FROM stories')).toEqual([
        { id: 1, title: 'T', premise: 'P', created_at: 5, updated_at: 6 },
      ]);
      expect(db.all('SELECT key, value FROM settings')).toEqual([{ key: 'k', value: 'v' }]);
    });

    it('does not run a migration again once the database is at its version', () => {
      const db = memory();
      const up1 = vi.fn((d: SqliteDatabase) => d.exec('CREATE TABLE one (x)'));
      const up2 = vi.fn((d: SqliteDatabase) => d.exec('CREATE TABLE two (x)'));
      const list = [fake(1, up1), fake(2, up2)];
      expect(migrate(db, list)).toBe(2);
      expect(migrate(db, list)).toBe(2);
      expect(up1).toHaveBeenCalledTimes(1);
      expect(up2).toHaveBeenCalledTimes(1);
    });

    it('survives reopening a file: the second open migrates nothing', () => {
      const file = path.join(dir, 'twice.db');
      const first = openStore(file);
      first.db.run(`INSERT INTO settings (key, value) VALUES ('model', '/m.gguf')`);
      first.dispose();

      const second = openStore(file);
      try {
        expect(second.db.pragma<number>('user_version')).toBe(migrations.length);
        expect(second.settings.get('model')).toBe('/m.gguf');
      } finally {
        second.dispose();
      }
    });

    it('with `to`, stops at that version and later goes on from there', () => {
      const db = memory();
      const list = [
        fake(1, (d) => d.exec('CREATE TABLE one (x)')),
        fake(2, (d) => d.exec('CREATE TABLE two (x)')),
      ];
      expect(migrate(db, list, { to: 1 })).toBe(1);
      expect(tableNames(db)).toEqual(['one']);
      expect(migrate(db, list)).toBe(2);
      expect(tableNames(db)).toEqual(['one', 'two']);
    });

    it('an empty list leaves a fresh database at version 0', () => {
      const db = memory();
      expect(migrate(db, [])).toBe(0);
      expect(db.pragma<number>('user_version')).toBe(0);
    });
  });

  describe('a database from a newer Longtale', () => {
    const FUTURE = migrations.length + 41;
    let file: string;

    beforeEach(() => {
      file = path.join(dir, 'future.db');
      const raw = new Database(file);
      raw.exec(`CREATE TABLE future_stuff (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
                INSERT INTO future_stuff (body) VALUES ('from the future'), ('still here');`);
      raw.pragma(`user_version = ${FUTURE}`);
      raw.close();
    });

    function inspect(): { version: unknown; rows: unknown[]; tables: unknown[] } {
      const raw = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return {
          version: raw.pragma('user_version', { simple: true }),
          rows: raw.prepare('SELECT id, body FROM future_stuff ORDER BY id').all(),
          tables: raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all(),
        };
      } finally {
        raw.close();
      }
    }

    it('is refused with DB_TOO_NEW naming the path and both versions', () => {
      const db = openDatabase(file);
      open.push(db);
      let caught: unknown;
      try {
        migrate(db, migrations);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NativeError);
      const error = caught as NativeError;
      expect(error.code).toBe('DB_TOO_NEW');
      expect(error.message).toContain(file);
      // Look for the versions outside the path, whose random temp name could hold digits of its own.
      const rest = error.message.replace(file, '<path>');
      expect(rest).toMatch(new RegExp(`\\b${FUTURE}\\b`));
      expect(rest).toMatch(new RegExp(`\\b${migrations.length}\\b`));
    });

    it('is left untouched: user_version and content unchanged when reopened directly', () => {
      const before = inspect();
      const db = openDatabase(file);
      expect(() => migrate(db, migrations)).toThrow(NativeError);
      db.dispose();

      const after = inspect();
      expect(after).toEqual(before);
      expect(after.version).toBe(FUTURE);
      expect(after.tables).toEqual([{ name: 'future_stuff' }]);
      expect(after.rows).toEqual([
        { id: 1, body: 'from the future' },
        { id: 2, body: 'still here' },
      ]);
    });

    it('is refused by openStore too, which closes the database and leaves it untouched', () => {
      const before = inspect();
      expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW' }));
      expect(inspect()).toEqual(before);
    });

    it('is refused by openStore before a single byte of the file changes (not even the journal mode)', () => {
      const bytes = fs.readFileSync(file);
      expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW' }));
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    });

    it('runs no migration at all', () => {
      const db = openDatabase(file);
      open.push(db);
      const up = vi.fn();
      expect(() => migrate(db, [fake(1, up)])).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW' }));
      expect(up).not.toHaveBeenCalled();
    });
  });

  describe('a migration that throws midway', () => {
    it('rolls back entirely: its tables are absent and user_version is unchanged', () => {
      const db = memory();
      const list: Migration[] = [
        {
          version: 1,
          name: 'boom',
          up: (d) => {
            d.exec('CREATE TABLE a(x)');
            throw new Error('boom');
          },
        },
      ];
      expect(() => migrate(db, list)).toThrow('boom');
      expect(tableNames(db)).toEqual([]);
      expect(db.pragma<number>('user_version')).toBe(0);
      // Nothing is left half-open: a later write works normally.
      db.exec('CREATE TABLE later (x)');
      expect(tableNames(db)).toEqual(['later']);
    });

    it('rolls back on a file too, and keeps the versions before it', () => {
      const file = path.join(dir, 'partial.db');
      const db = openDatabase(file);
      const list = [
        fake(1, (d) => d.exec(`CREATE TABLE one (x); INSERT INTO one VALUES (1)`)),
        fake(2, (d) => {
          d.exec(`CREATE TABLE two (x); INSERT INTO one VALUES (2)`);
          throw new Error('boom in 2');
        }),
      ];
      expect(() => migrate(db, list)).toThrow('boom in 2');
      db.dispose();

      const raw = new Database(file, { readonly: true });
      try {
        expect(raw.pragma('user_version', { simple: true })).toBe(1);
        expect(raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all()).toEqual([{ name: 'one' }]);
        expect(raw.prepare('SELECT x FROM one').all()).toEqual([{ x: 1 }]);
      } finally {
        raw.close();
      }
    });
  });

  describe('an out-of-order migration list', () => {
    it.each([
      ['reversed', [2, 1]],
      ['with a gap', [1, 3]],
      ['with a duplicate', [1, 1]],
      ['starting at 0', [0, 1]],
      ['starting at 2', [2, 3]],
    ])('is rejected when %s', (_label, versions) => {
      const db = memory();
      const ups = versions.map(() => vi.fn());
      const list = versions.map((v, i) => fake(v, ups[i]));
      expect(() => migrate(db, list)).toThrow(/has version \d+, expected \d+/);
      for (const up of ups) expect(up).not.toHaveBeenCalled();
      expect(db.pragma<number>('user_version')).toBe(0);
      expect(tableNames(db)).toEqual([]);
    });
  });
});
