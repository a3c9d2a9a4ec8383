import type { Migration } from '../../../native/sqlite/index.js';

/**
 * Continuity checks an author keeps with a story (a question and the answer expected), to put to it again as it
 * grows: a regression test of its memory. Deleted with the story.
 */
export const migration009: Migration = {
  version: 9,
  name: '009-saved-checks',
  up(db) {
    db.exec(`
      CREATE TABLE saved_checks (
        id         INTEGER PRIMARY KEY,
        story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        question   TEXT    NOT NULL CHECK (length(trim(question)) > 0),
        answer     TEXT    NOT NULL CHECK (length(trim(answer)) > 0),
        position   INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX saved_checks_by_story ON saved_checks (story_id, position);
    `);
  },
};
