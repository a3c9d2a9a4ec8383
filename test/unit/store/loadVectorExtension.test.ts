import * as sqliteVec from 'sqlite-vec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadVectorExtension, openDatabase, unpackedAsarPath, type SqliteDatabase } from '../../../native/sqlite/index.js';

describe('loadVectorExtension', () => {
  let db: SqliteDatabase;

  beforeEach(() => {
    db = openDatabase(':memory:');
  });

  afterEach(() => {
    db.dispose();
  });

  it('loads sqlite-vec into the connection', () => {
    expect(() => db.get('SELECT vec_version()')).toThrow(/no such function/);
    loadVectorExtension(db);
    expect(db.get<{ v: string }>('SELECT vec_version() AS v')?.v).toMatch(/^v0\.1\./);
    db.exec('CREATE VIRTUAL TABLE v USING vec0(embedding float[2] distance_metric=cosine)');
    db.run('INSERT INTO v (rowid, embedding) VALUES (?, ?)', [1n, Buffer.from(new Float32Array([1, 0]).buffer)]);
    const near = db.all<{ rowid: number }>('SELECT rowid FROM v WHERE embedding MATCH ? AND k = 1', [
      Buffer.from(new Float32Array([0.9, 0.1]).buffer),
    ]);
    expect(near).toEqual([{ rowid: 1 }]);
  });

  it('may be called again on the same connection', () => {
    loadVectorExtension(db);
    expect(() => loadVectorExtension(db)).not.toThrow();
    expect(db.get('SELECT vec_version() AS v')).toBeDefined();
  });

  it('is per connection', () => {
    loadVectorExtension(db);
    const other = openDatabase(':memory:');
    try {
      expect(() => other.get('SELECT vec_version()')).toThrow(/no such function/);
    } finally {
      other.dispose();
    }
  });

  it('reports a missing library through loadExtension', () => {
    expect(() => db.loadExtension('/nonexistent/vec0.so')).toThrow();
  });
});

describe('unpackedAsarPath', () => {
  it('points a path inside app.asar at app.asar.unpacked', () => {
    expect(unpackedAsarPath('/opt/Longtale/resources/app.asar/node_modules/sqlite-vec-linux-x64/vec0.so')).toBe(
      '/opt/Longtale/resources/app.asar.unpacked/node_modules/sqlite-vec-linux-x64/vec0.so',
    );
    expect(unpackedAsarPath('C:\\Program Files\\Longtale\\resources\\app.asar\\node_modules\\sqlite-vec-windows-x64\\vec0.dll')).toBe(
      'C:\\Program Files\\Longtale\\resources\\app.asar.unpacked\\node_modules\\sqlite-vec-windows-x64\\vec0.dll',
    );
  });

  it('leaves other paths alone, including ones already unpacked or merely named like an archive', () => {
    const plain = sqliteVec.getLoadablePath();
    expect(unpackedAsarPath(plain)).toBe(plain);
    const unpacked = '/r/app.asar.unpacked/node_modules/x/vec0.so';
    expect(unpackedAsarPath(unpacked)).toBe(unpacked);
    expect(unpackedAsarPath('/home/me/myapp.asar/vec0.so')).toBe('/home/me/myapp.asar/vec0.so');
  });
});
