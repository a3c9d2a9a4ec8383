import { migrate, openDatabase, type SqliteDatabase } from '../../native/sqlite/index.js';
import { migrations } from './migrations/index.js';
import { PassageIndex } from './PassageIndex.js';
import { SettingsStore } from './SettingsStore.js';
import { StoryStore } from './StoryStore.js';

export interface Store {
  db: SqliteDatabase;
  stories: StoryStore;
  /** Long-term memory retrieval over the ancestors of a node. */
  passages: PassageIndex;
  settings: SettingsStore;
  dispose(): void;
}

/** Opens the story database at `file` and brings its schema up to date. */
export function openStore(file: string): Store {
  const db = openDatabase(file, { maxSchemaVersion: migrations.at(-1)?.version ?? 0 });
  try {
    migrate(db, migrations);
  } catch (error) {
    db.dispose();
    throw error;
  }
  return {
    db,
    stories: new StoryStore(db),
    passages: new PassageIndex(db),
    settings: new SettingsStore(db),
    dispose: () => db.dispose(),
  };
}
