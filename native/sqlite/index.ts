export { loadVectorExtension } from './loadVectorExtension.js';
export { migrate, type MigrateOptions } from './migrate.js';
export type { Migration } from './Migration.js';
export { copyDatabase } from './copyDatabase.js';
export { openDatabase, type OpenOptions } from './openDatabase.js';
export { SqliteDatabase, type RunResult, type SqlParams, type SqlValue } from './SqliteDatabase.js';
export { unpackedAsarPath } from './unpackedAsarPath.js';
