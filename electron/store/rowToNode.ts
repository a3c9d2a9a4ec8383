import type { StoryNode } from '../contract/index.js';
import { Instruction } from '../contract/index.js';
import { parseJson } from './parseJson.js';
import { parseNodeState } from './parseNodeState.js';

/** A node as selected with NODE_COLUMNS. */
export interface NodeRow {
  id: number;
  parent_id: number | null;
  passage: string;
  summary: string;
  instruction: string;
  state: string;
  stale: number;
  created_at: number;
  edited_at: number | null;
  sibling_index: number;
  sibling_count: number;
}

/**
 * The columns rowToNode reads, for a query over `nodes n`. The sibling position is computed here, in SQL,
 * through nodes_by_parent (parent_id, sibling_order, and the rowid the index carries), so a path of any length
 * is still one query. Siblings are ordered by sibling_order, then id.
 */
export const NODE_COLUMNS = `n.id, n.parent_id, n.passage, n.summary, n.instruction, n.state, n.stale, n.created_at,
  n.edited_at,
  CASE WHEN n.parent_id IS NULL THEN 0 ELSE (
    SELECT count(*) FROM nodes s WHERE s.parent_id = n.parent_id
      AND (s.sibling_order < n.sibling_order OR (s.sibling_order = n.sibling_order AND s.id < n.id))
  ) END AS sibling_index,
  CASE WHEN n.parent_id IS NULL THEN 1 ELSE (SELECT count(*) FROM nodes s WHERE s.parent_id = n.parent_id) END
    AS sibling_count`;

const OPENING: Instruction = { kind: 'opening' };

export function rowToNode(row: NodeRow): StoryNode {
  const instruction = Instruction.safeParse(parseJson(row.instruction));
  return {
    id: row.id,
    parentId: row.parent_id,
    siblingIndex: row.sibling_index,
    siblingCount: row.sibling_count,
    passage: row.passage,
    summary: row.summary,
    instruction: instruction.success ? instruction.data : OPENING,
    ...parseNodeState(row.state),
    stale: row.stale !== 0,
    createdAt: row.created_at,
    editedAt: row.edited_at,
  };
}
