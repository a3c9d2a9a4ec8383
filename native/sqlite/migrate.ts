import { NativeError } from '../NativeError.js';
import type { Migration } from './Migration.js';
import type { SqliteDatabase } from './SqliteDatabase.js';

export interface MigrateOptions {
  /** Stop at this version instead of the latest (tests migrate to N-1, insert fixtures, then go on to N). */
  to?: number;
}

/**
 * Brings the database to the latest schema version, recorded in `PRAGMA user_version`. Each migration runs in
 * its own transaction together with the version bump, so a crash leaves the database at a whole version.
 * A database from a newer Longtale is refused rather than misread.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[], options: MigrateOptions = {}): number {
  checkOrder(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const target = options.to ?? latest;
  const current = db.pragma<number>('user_version');
  if (current > latest) {
    throw new NativeError(
      'DB_TOO_NEW',
      `${db.path} is at schema version ${current}; this version of Longtale knows versions up to ${latest}.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
  }
  return db.pragma<number>('user_version');
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
