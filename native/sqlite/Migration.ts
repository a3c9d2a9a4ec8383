import type { SqliteDatabase } from './SqliteDatabase.js';

/** One schema version. Each lives in its own file under electron/store/migrations with a test of its own. */
export interface Migration {
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}
