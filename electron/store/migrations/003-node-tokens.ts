import type { Migration } from '../../../native/sqlite/index.js';

/**
 * Per-token surprisal of each node's passage, for the heatmap: the token texts as a JSON array and the values as
 * little-endian uint16 thousandths of a nat (2 bytes a token; 0.0005 nats of rounding, up to 65.5 nats). Kept out
 * of the state JSON so opening a long story never reads it; one row per node, gone with the node.
 */
export const migration003: Migration = {
  version: 3,
  name: '003-node-tokens',
  up(db) {
    db.exec(`
      CREATE TABLE node_tokens (
        node_id   INTEGER PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
        count     INTEGER NOT NULL CHECK (count >= 0),
        texts     TEXT    NOT NULL,
        surprisal BLOB    NOT NULL CHECK (length(surprisal) = 2 * count)
      ) STRICT;
    `);
  },
};
