import type { StoryNode, StorySummary, StoryView, TreeNode } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';
import type { NodeCache } from './NodeCache.js';
import { NODE_COLUMNS, rowToNode, type NodeRow } from './rowToNode.js';
import { rowToSummary, STORY_COLUMNS, type StoryRow } from './rowToSummary.js';

export interface NodeRef {
  id: number;
  story_id: number;
  parent_id: number | null;
}

interface TreeRow {
  id: number;
  parent_id: number | null;
  sibling_index: number;
  head: string;
}

/** Every node of a story with its position among its siblings (same order as NODE_COLUMNS) and its first characters. */
const TREE_SQL = `
  SELECT id, parent_id, row_number() OVER (PARTITION BY parent_id ORDER BY sibling_order, id) - 1 AS sibling_index,
    substr(passage, 1, 120) AS head
  FROM nodes WHERE story_id = ? ORDER BY id`;

/** Longest label of a tree node, in characters. */
const TREE_LABEL_CHARS = 60;

/** Ancestors of a node counted upwards (bounded, so a parent cycle written by hand cannot spin). */
const DEPTH_SQL = `
  WITH RECURSIVE up(id, depth) AS (
    SELECT parent_id, 0 FROM nodes WHERE id = ?
    UNION ALL
    SELECT n.parent_id, up.depth + 1 FROM up JOIN nodes n ON n.id = up.id WHERE up.depth < 100000
  )
  SELECT count(*) AS depth FROM up WHERE id IS NOT NULL`;

/** The first words of a passage, cut at a word boundary. */
function treeLabel(head: string): string {
  const text = head.replace(/\s+/gu, ' ').trim();
  if (text.length <= TREE_LABEL_CHARS) return text;
  const cut = text.slice(0, TREE_LABEL_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TREE_LABEL_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/u, '')}…`;
}

/**
 * The read side of StoryStore: stories, nodes and the tree, with the checks every operation starts with (an
 * unknown story or a node of another story is a coded error). Paths come from the node cache.
 */
export class StoryReader {
  readonly #db: SqliteDatabase;
  readonly #cache: NodeCache;

  constructor(db: SqliteDatabase, cache: NodeCache) {
    this.#db = db;
    this.#cache = cache;
  }

  list(): StorySummary[] {
    return this.#db
      .all<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.deleted_at IS NULL ORDER BY s.updated_at DESC, s.id DESC`)
      .map(rowToSummary);
  }

  /**
   * The path from the root to `nodeId`, with the story's summary. With `window`, only the last `window` nodes of
   * the path are read and returned, and `pathStart` says where they begin.
   */
  view(storyId: number, nodeId: number, window?: number): StoryView {
    const story = rowToSummary(this.story(storyId));
    if (window === undefined) return { story, currentNodeId: nodeId, path: this.#cache.path(nodeId) };
    const { length, nodes } = this.#cache.tail(nodeId, window);
    return { story, currentNodeId: nodeId, path: nodes, pathStart: length - nodes.length };
  }

  /** Nodes `start` to `end` (exclusive) of the path to `nodeId`, reading only those. */
  pathRange(nodeId: number, start: number, end: number): StoryNode[] {
    return this.#cache.range(nodeId, start, end);
  }

  /** The skeleton of the story's whole tree, in id order, in one query (sibling positions by window function). */
  tree(storyId: number): TreeNode[] {
    this.storyRef(storyId);
    return this.#db.all<TreeRow>(TREE_SQL, [storyId]).map((row) => ({
      id: row.id,
      parentId: row.parent_id,
      siblingIndex: row.sibling_index,
      label: treeLabel(row.head),
    }));
  }

  /** How many ancestors the node has. */
  depth(nodeId: number): number {
    return this.#db.get<{ depth: number }>(DEPTH_SQL, [nodeId])?.depth ?? 0;
  }

  node(nodeId: number): StoryNode {
    const row = this.#db.get<NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.id = ?`, [nodeId]);
    if (!row) throw new LongtaleError('NODE_NOT_FOUND', `There is no passage ${nodeId}.`);
    return rowToNode(row);
  }

  children(nodeId: number): StoryNode[] {
    return this.#db
      .all<NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.parent_id = ? ORDER BY n.sibling_order, n.id`, [nodeId])
      .map(rowToNode);
  }

  story(storyId: number): StoryRow {
    const row = this.#db.get<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = ?`, [storyId]);
    if (!row) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    return row;
  }

  /** Existence and the current node, without the counts the full summary needs. */
  storyRef(storyId: number): { current_node_id: number | null } {
    const row = this.#db.get<{ current_node_id: number | null }>('SELECT current_node_id FROM stories WHERE id = ?', [
      storyId,
    ]);
    if (!row) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    return row;
  }

  currentId(storyId: number): number {
    const current = this.storyRef(storyId).current_node_id;
    if (current === null) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
    return current;
  }

  /** The node, which must belong to the story (checked first, so an unknown story is reported as such). */
  nodeRef(storyId: number, nodeId: number): NodeRef {
    this.storyRef(storyId);
    const ref = this.#db.get<NodeRef>('SELECT id, story_id, parent_id FROM nodes WHERE id = ?', [nodeId]);
    if (!ref || ref.story_id !== storyId) {
      throw new LongtaleError('NODE_NOT_FOUND', `There is no passage ${nodeId} in story ${storyId}.`);
    }
    return ref;
  }
}
