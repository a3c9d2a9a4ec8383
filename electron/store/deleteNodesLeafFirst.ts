import type { SqliteDatabase } from '../../native/sqlite/index.js';

/**
 * Deletes a subtree (or a whole story's nodes) children first. Letting ON DELETE CASCADE walk a long chain would
 * nest one trigger level per passage and hit SQLite's trigger depth limit (1000) on long stories. Call inside a
 * transaction.
 */
export function deleteNodesLeafFirst(db: SqliteDatabase, rootSql: string, params: (number | null)[]): number {
  const ids = db.all<{ id: number }>(
    `WITH RECURSIVE down(id, depth) AS (
       ${rootSql}
       UNION ALL SELECT n.id, down.depth + 1 FROM nodes n JOIN down ON n.parent_id = down.id
     ) SELECT id FROM down ORDER BY depth DESC`,
    params,
  );
  for (const { id } of ids) db.run('DELETE FROM nodes WHERE id = ?', [id]);
  return ids.length;
}
