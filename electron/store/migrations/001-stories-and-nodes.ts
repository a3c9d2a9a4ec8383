import type { Migration } from '../../../native/sqlite/index.js';

/** Stories, their tree of passage nodes, and key-value settings. */
export const migration001: Migration = {
  version: 1,
  name: '001-stories-and-nodes',
  up(db) {
    db.exec(`
      CREATE TABLE stories (
        id              INTEGER PRIMARY KEY,
        title           TEXT    NOT NULL,
        premise         TEXT    NOT NULL,
        current_node_id INTEGER REFERENCES nodes(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE nodes (
        id            INTEGER PRIMARY KEY,
        story_id      INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        parent_id     INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
        sibling_order INTEGER NOT NULL DEFAULT 0,
        passage       TEXT    NOT NULL,
        word_count    INTEGER NOT NULL,
        state         TEXT    NOT NULL DEFAULT '{}',
        created_at    INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX nodes_by_story ON nodes(story_id);
      CREATE INDEX nodes_by_parent ON nodes(parent_id, sibling_order);

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
