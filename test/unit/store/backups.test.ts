import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backups, KEEP_BACKUPS } from '../../../electron/store/Backups.js';
import { migrations } from '../../../electron/store/migrations/index.js';
import { openStore } from '../../../electron/store/openStore.js';
import { migrate, openDatabase } from '../../../native/sqlite/index.js';
import { nodeRecord } from './nodeRecord.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-backups-'));
  file = path.join(dir, 'longtale.db');
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function storyCount(db: string): number {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

/** A database with one story, opened once more afterwards (the open that finds stories takes the backup). */
function makeStory(): void {
  const store = openStore(file);
  store.stories.create({ title: 'Salt', premise: 'A harbour.', root: nodeRecord('The fog came in.') });
  store.dispose();
  openStore(file).dispose();
}

/** Overwrites the middle of the file (not the header) so SQLite opens it and then finds damaged pages. */
function damage(target: string): void {
  const bytes = fs.readFileSync(target);
  const pageSize = bytes.readUInt16BE(16) || 4096;
  bytes.fill(0xa5, pageSize, bytes.length);
  fs.writeFileSync(target, bytes);
}

describe('backups', () => {
  it('backs up at most daily once there are stories, and the backup opens with the same stories', () => {
    makeStory();
    const backups = new Backups(file);
    expect(backups.list()).toHaveLength(1);
    openStore(file).dispose(); // the same day: no second backup
    expect(backups.list()).toHaveLength(1);
    expect(storyCount(backups.latest() as string)).toBe(1);
  });

  it('a new, empty database is not backed up', () => {
    openStore(file).dispose();
    expect(new Backups(file).list()).toEqual([]);
  });

  it('backs up before migrating an older database, even on a day that already has a backup', () => {
    const db = openDatabase(file);
    migrate(db, migrations, { to: 1 });
    db.run("INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('Old', 'p', 1, 1)");
    db.dispose();
    openStore(file).dispose();
    const [backup] = new Backups(file).list();
    const conn = new Database(backup as string, { readonly: true });
    expect(conn.pragma('user_version', { simple: true })).toBe(1);
    conn.close();
  });

  it(`keeps the newest ${KEEP_BACKUPS}`, () => {
    makeStory();
    let clock = Date.UTC(2026, 0, 1);
    const backups = new Backups(file, () => clock);
    const db = openDatabase(file);
    for (let i = 0; i < KEEP_BACKUPS + 3; i++) {
      clock += 2 * 24 * 3600 * 1000;
      backups.backUp(db, true);
    }
    db.dispose();
    expect(backups.list()).toHaveLength(KEEP_BACKUPS);
  });
});

describe('a damaged database', () => {
  it('is refused with DB_CORRUPT naming the latest backup, and its bytes are left alone', () => {
    makeStory();
    const latest = new Backups(file).latest();
    damage(file);
    const before = fs.readFileSync(file);
    expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'DB_CORRUPT', message: expect.stringContaining(latest as string) }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('restore puts the latest backup in place and keeps the damaged file beside it', () => {
    makeStory();
    damage(file);
    const damaged = fs.readFileSync(file);
    const result = new Backups(file).restore();
    expect(fs.readFileSync(result.keptAs as string).equals(damaged)).toBe(true);
    const store = openStore(file);
    expect(store.stories.list().map((s) => s.title)).toEqual(['Salt']);
    store.dispose();
  });

  it('restore without a backup says so and changes nothing', () => {
    fs.writeFileSync(file, 'x');
    expect(() => new Backups(file).restore()).toThrow(/no backup/);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });
});
