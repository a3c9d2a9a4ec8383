import type { Migration } from '../../../native/sqlite/index.js';

/** Deleted stories go to a trash first (deleted_at set) and are purged later; the list shows only live ones. */
export const migration004: Migration = {
  version: 4,
  name: '004-story-trash',
  up(db) {
    db.exec(`
      ALTER TABLE stories ADD COLUMN deleted_at INTEGER;
      CREATE INDEX stories_by_deleted ON stories(deleted_at, updated_at);
    `);
  },
};
