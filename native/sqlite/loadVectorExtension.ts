import * as sqliteVec from 'sqlite-vec';
import type { SqliteDatabase } from './SqliteDatabase.js';
import { unpackedAsarPath } from './unpackedAsarPath.js';

/**
 * Loads sqlite-vec (the `vec0` virtual table and its distance functions) into `db`. Extensions are loaded per
 * connection; a connection that already has it is left alone.
 */
export function loadVectorExtension(db: SqliteDatabase): void {
  if (hasVectors(db)) return;
  db.loadExtension(unpackedAsarPath(sqliteVec.getLoadablePath()));
}

function hasVectors(db: SqliteDatabase): boolean {
  try {
    db.get('SELECT vec_version()');
    return true;
  } catch {
    return false;
  }
}
