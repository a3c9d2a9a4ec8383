import { migrate, openDatabase, type SqliteDatabase } from '../../native/sqlite/index.js';
import { LongtaleError } from '../contract/index.js';
import { Backups } from './Backups.js';
import { migrations } from './migrations/index.js';
import { PassageIndex } from './PassageIndex.js';
import { SavedChecks } from './SavedChecks.js';
import { SettingsStore } from './SettingsStore.js';
import { StoryStore } from './StoryStore.js';

export interface Store {
  db: SqliteDatabase;
  stories: StoryStore;
  /** Long-term memory retrieval over the ancestors of a node. */
  passages: PassageIndex;
  settings: SettingsStore;
  /** Continuity checks kept with their stories. */
  checks: SavedChecks;
  backups: Backups | null;
  dispose(): void;
}

const LATEST = migrations.at(-1)?.version ?? 0;

/**
 * Opens the story database at `file`: checks it (a damaged one is refused, untouched, naming the latest backup),
 * backs it up before any migration and otherwise at most daily, and brings its schema up to date.
 */
export function openStore(file: string): Store {
  const backups = file === ':memory:' ? null : new Backups(file);
  let db: SqliteDatabase;
  try {
    db = openDatabase(file, { maxSchemaVersion: LATEST });
  } catch (error) {
    const latest = backups?.latest();
    if ((error as { code?: unknown }).code === 'DB_CORRUPT') {
      const offer = latest ? ` The latest backup is ${latest}: "longtale restore" puts it in place and keeps the damaged file.` : ' There is no backup of it.';
      throw new LongtaleError('DB_CORRUPT', `${(error as Error).message}${offer}`);
    }
    throw error;
  }
  try {
    const version = db.pragma<number>('user_version');
    if (backups && version > 0 && version < LATEST) backups.backUp(db, true);
    migrate(db, migrations);
    if (backups && db.get<{ n: number }>('SELECT count(*) AS n FROM stories')?.n) dailyBackup(backups, db);
  } catch (error) {
    db.dispose();
    throw error;
  }
  const stories = new StoryStore(db);
  return {
    db,
    stories,
    passages: new PassageIndex(db, (nodeId) => stories.pathIds(nodeId)),
    settings: new SettingsStore(db),
    checks: new SavedChecks(db),
    backups,
    dispose: () => db.dispose(),
  };
}

/**
 * The daily backup is a convenience: if it fails (a full disk, another app backing up at the same moment) the
 * stories still open, and the failure is reported. The backup before a migration is not optional: it throws.
 */
function dailyBackup(backups: Backups, db: SqliteDatabase): void {
  try {
    backups.backUp(db);
  } catch (error) {
    console.warn(`Longtale: the daily backup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
