import type { SqliteDatabase } from '../../native/sqlite/index.js';
import { countWords } from './countWords.js';
import type { NewNodeRecord } from './NewNodeRecord.js';
import type { NodeCache } from './NodeCache.js';
import type { NodeTokens } from './NodeTokens.js';

export interface InsertNodeParts {
  db: SqliteDatabase;
  tokens: NodeTokens;
  cache: NodeCache;
}

/**
 * Inserts a node (after its parent's existing children) with its state and heatmap, inside the caller's
 * transaction. Returns its id.
 */
export function insertNode(
  { db, tokens, cache }: InsertNodeParts,
  storyId: number,
  parentId: number | null,
  record: NewNodeRecord,
  times: { now: number; visitedAt: number | null },
): number {
  // Entries taken from this node's own text name it as their source: its id is known once inserted, so the
  // state is written with it in place (one row write, not an insert and an update).
  const own = new Set(record.ownEntryIds ?? []);
  const nextId = own.size > 0 ? (db.get<{ id: number }>('SELECT coalesce(max(id), 0) + 1 AS id FROM nodes')?.id ?? 1) : null;
  const keyMemory = nextId === null ? record.keyMemory : record.keyMemory.map((e) => (own.has(e.id) ? { ...e, sourceNode: nextId } : e));
  const state = { shortMemory: record.shortMemory, plans: record.plans, keyMemory, stats: record.stats };
  const result = db.run(
    `INSERT INTO nodes (id, story_id, parent_id, sibling_order, passage, word_count, summary, instruction, state,
       created_at, visited_at)
     VALUES (?, ?, ?, (SELECT coalesce(max(sibling_order) + 1, 0) FROM nodes WHERE parent_id IS ? AND story_id = ?),
       ?, ?, ?, ?, ?, ?, ?)`,
    [
      nextId,
      storyId,
      parentId,
      parentId,
      storyId,
      record.passage,
      countWords(record.passage),
      record.summary,
      JSON.stringify(record.instruction),
      JSON.stringify(state),
      times.now,
      times.visitedAt,
    ],
  );
  const nodeId = Number(result.lastInsertRowid);
  if (record.tokens) tokens.set(nodeId, record.tokens);
  // The new node (its id may have been used by a deleted one) and its siblings, whose counts just changed.
  cache.forgetFamily(parentId, nodeId);
  return nodeId;
}
