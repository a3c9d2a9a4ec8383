import type { StoryNode } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';
import { NODE_COLUMNS, rowToNode, type NodeRow } from './rowToNode.js';

/** Deeper than any story: only a parent cycle written by hand reaches it, and then the walk ends instead of spinning. */
const MAX_DEPTH = 100_000;

/** Ids are walked upwards first, then joined with their rows once. */
const PATH_SQL = `
  WITH RECURSIVE up(id, depth) AS (
    SELECT id, 0 FROM nodes WHERE id = ?
    UNION ALL
    SELECT n.parent_id, up.depth + 1 FROM up JOIN nodes n ON n.id = up.id
    WHERE n.parent_id IS NOT NULL AND up.depth < ${MAX_DEPTH}
  )
  SELECT ${NODE_COLUMNS} FROM up JOIN nodes n ON n.id = up.id ORDER BY up.depth DESC`;

/** The nodes from the root down to `nodeId`, in story order, in one query however long the story; empty for an unknown node. */
export function selectPath(db: SqliteDatabase, nodeId: number): StoryNode[] {
  return db.all<NodeRow>(PATH_SQL, [nodeId]).map(rowToNode);
}
