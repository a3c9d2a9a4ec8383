import type { SqliteDatabase } from '../../native/sqlite/index.js';

/**
 * Marks the path to @node visited at @t wherever it is not already the most recently visited among its
 * siblings, and always @node itself. Afterwards every node on the path is its siblings' latest visit, which is
 * what redo follows back down.
 */
const VISIT_PATH_SQL = `
  WITH RECURSIVE up(id) AS (
    SELECT @node
    UNION -- not ALL: a parent cycle written by hand then ends the walk instead of spinning
    SELECT n.parent_id FROM up JOIN nodes n ON n.id = up.id WHERE n.parent_id IS NOT NULL
  )
  UPDATE nodes SET visited_at = @t
  WHERE id IN (SELECT id FROM up) AND (
    id = @node OR visited_at IS NULL OR EXISTS (
      SELECT 1 FROM nodes s WHERE s.parent_id = nodes.parent_id AND s.id <> nodes.id AND s.visited_at >= nodes.visited_at
    )
  )`;

/**
 * Makes `nodeId` the story's current node and records the visit, for redo. Visit times are strictly increasing
 * within a story, since two visits in one millisecond must still be ordered. The path to the current node is
 * always the latest visit at every level, so a child of the current node only needs itself marked; any other
 * move walks its path up (rewriting only the rows that need it, as every written row costs a page in the WAL).
 */
export function makeCurrent(
  db: SqliteDatabase,
  storyId: number,
  nodeId: number,
  options: { now: number; isChildOfCurrent: boolean },
): void {
  const latest = db.get<{ t: number | null }>('SELECT max(visited_at) AS t FROM nodes WHERE story_id = ?', [storyId])?.t;
  const t = Math.max(options.now, (latest ?? -Infinity) + 1);
  if (options.isChildOfCurrent) db.run('UPDATE nodes SET visited_at = ? WHERE id = ?', [t, nodeId]);
  else db.run(VISIT_PATH_SQL, { node: nodeId, t });
  db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [nodeId, storyId]);
}
