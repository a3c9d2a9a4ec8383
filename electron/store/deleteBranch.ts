import type { SqliteDatabase } from '../../native/sqlite/index.js';
import { LongtaleError } from '../contract/index.js';
import { deleteNodesLeafFirst } from './deleteNodesLeafFirst.js';

/**
 * Deletes a passage and everything written after it (its branch). The first passage, and any passage on the way
 * to the current one, are refused: the story would lose what the reader is reading. Returns how many nodes went.
 */
export function deleteBranch(db: SqliteDatabase, storyId: number, nodeId: number): number {
  return db.transaction(() => {
    const node = db.get<{ story_id: number; parent_id: number | null }>('SELECT story_id, parent_id FROM nodes WHERE id = ?', [nodeId]);
    if (!node || node.story_id !== storyId) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passage ${nodeId}.`);
    if (node.parent_id === null) throw new LongtaleError('INVALID_INPUT', 'The first passage cannot be deleted; delete the story instead.');
    const onCurrentPath = db.get<{ hit: number }>(
      `WITH RECURSIVE up(id) AS (
         SELECT current_node_id FROM stories WHERE id = ?
         UNION ALL SELECT n.parent_id FROM nodes n JOIN up ON n.id = up.id WHERE n.parent_id IS NOT NULL
       ) SELECT 1 AS hit FROM up WHERE id = ?`,
      [storyId, nodeId],
    );
    if (onCurrentPath) {
      throw new LongtaleError('INVALID_INPUT', 'This passage leads to the one you are reading; switch to another branch before deleting it.');
    }
    const count = deleteNodesLeafFirst(db, 'SELECT ?, 0', [nodeId]);
    db.run('UPDATE stories SET updated_at = ? WHERE id = ?', [Date.now(), storyId]);
    return count;
  });
}
