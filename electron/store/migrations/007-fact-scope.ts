import type { Migration } from '../../../native/sqlite/index.js';

/**
 * A pinned fact may hold from a passage on, on that passage's branch only (a character's death in one branch is
 * not true in another). NULL: the whole story, as every fact was before. Deleting the passage deletes its facts.
 */
export const migration007: Migration = {
  version: 7,
  name: '007-fact-scope',
  up(db) {
    db.exec('ALTER TABLE facts ADD COLUMN from_node_id INTEGER REFERENCES nodes(id) ON DELETE CASCADE;');
  },
};
