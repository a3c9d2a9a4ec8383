import type { Migration } from '../../../native/sqlite/index.js';

/**
 * The full story tree: story bible fields, per-node summary, instruction, staleness and navigation times, pinned
 * facts, and a full-text index of passages and summaries for long-term memory.
 */
export const migration002: Migration = {
  version: 2,
  name: '002-story-tree',
  up(db) {
    db.exec(`
      ALTER TABLE stories ADD COLUMN genre   TEXT NOT NULL DEFAULT '';
      ALTER TABLE stories ADD COLUMN style   TEXT NOT NULL DEFAULT '';
      ALTER TABLE stories ADD COLUMN outline TEXT NOT NULL DEFAULT '';

      ALTER TABLE nodes ADD COLUMN summary     TEXT    NOT NULL DEFAULT '';
      ALTER TABLE nodes ADD COLUMN instruction TEXT    NOT NULL DEFAULT '{"kind":"opening"}';
      ALTER TABLE nodes ADD COLUMN stale       INTEGER NOT NULL DEFAULT 0 CHECK (stale IN (0, 1));
      ALTER TABLE nodes ADD COLUMN edited_at   INTEGER;
      ALTER TABLE nodes ADD COLUMN visited_at  INTEGER;

      -- The newest visit in a story, found without reading the story's rows (visits must be strictly ordered).
      CREATE INDEX nodes_by_story_visited ON nodes(story_id, visited_at);

      CREATE TABLE facts (
        id         INTEGER PRIMARY KEY,
        story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        text       TEXT    NOT NULL,
        position   INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX facts_by_story ON facts(story_id, position);

      -- External content: the text lives once, in nodes; the triggers keep the index in step with it.
      CREATE VIRTUAL TABLE nodes_fts USING fts5(
        passage, summary, content = 'nodes', content_rowid = 'id', tokenize = 'porter unicode61'
      );

      CREATE TRIGGER nodes_fts_after_insert AFTER INSERT ON nodes BEGIN
        INSERT INTO nodes_fts (rowid, passage, summary) VALUES (new.id, new.passage, new.summary);
      END;

      CREATE TRIGGER nodes_fts_after_delete AFTER DELETE ON nodes BEGIN
        INSERT INTO nodes_fts (nodes_fts, rowid, passage, summary) VALUES ('delete', old.id, old.passage, old.summary);
      END;

      -- Only when the indexed text changes, not when navigation writes visited_at or a step rewrites state.
      CREATE TRIGGER nodes_fts_after_update AFTER UPDATE OF passage, summary ON nodes BEGIN
        INSERT INTO nodes_fts (nodes_fts, rowid, passage, summary) VALUES ('delete', old.id, old.passage, old.summary);
        INSERT INTO nodes_fts (rowid, passage, summary) VALUES (new.id, new.passage, new.summary);
      END;

      INSERT INTO nodes_fts (nodes_fts) VALUES ('rebuild');

      -- Redo goes to the most recently visited child, so the path each story was left at counts as visited
      -- (at the story's last update); other branches stay unvisited.
      WITH RECURSIVE up(id, parent_id, at) AS (
        SELECT n.id, n.parent_id, s.updated_at FROM stories s JOIN nodes n ON n.id = s.current_node_id
        UNION ALL
        SELECT n.id, n.parent_id, up.at FROM nodes n JOIN up ON n.id = up.parent_id
      )
      UPDATE nodes SET visited_at = up.at FROM up WHERE nodes.id = up.id;
    `);
  },
};
