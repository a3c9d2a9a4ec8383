import type { SqliteDatabase } from '../../native/sqlite/index.js';
import type { StoryNode } from '../contract/index.js';
import { NODE_COLUMNS, type NodeRow, rowToNode } from './rowToNode.js';

/** Deeper than any story: only a parent cycle written by hand reaches it, and then the walk ends instead of spinning. */
const MAX_DEPTH = 100_000;
const PATH_IDS_SQL = `
  WITH RECURSIVE up(id, depth) AS (
    SELECT id, 0 FROM nodes WHERE id = ?
    UNION ALL
    SELECT n.parent_id, up.depth + 1 FROM up JOIN nodes n ON n.id = up.id
    WHERE n.parent_id IS NOT NULL AND up.depth < ${MAX_DEPTH}
  )
  SELECT id FROM up ORDER BY depth DESC`;
const MAX_ENTRIES = 50_000;

/**
 * Parsed nodes by id, so a path of ten thousand passages is not re-read and re-parsed on every step: the path is
 * walked by id (cheap), and only nodes not seen before are read. The store calls `forget` for every node whose
 * content or sibling position it changes, and `clear` after deletions; `PRAGMA data_version` catches writes by
 * another connection (a second app on the same database), which clear everything.
 */
export class NodeCache {
  readonly #db: SqliteDatabase;
  readonly #nodes = new Map<number, StoryNode>();
  /** The last path walked: the next step usually extends it by one node, or undo shortens it. */
  #lastPath: number[] = [];
  /** The last path returned by `path`: its ids and nodes, valid for the first #validNodes (forget cuts that short). */
  #nodesPath: readonly number[] = [];
  #lastNodes: StoryNode[] = [];
  #validNodes = 0;
  #dataVersion = -1;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  path(nodeId: number): StoryNode[] {
    const ids = this.pathIds(nodeId);
    // The nodes shared with the last path are taken as a block: a step of a 10,000-passage story looks up one.
    // Two paths of a tree that meet at one depth agree on every node above it.
    let reused = Math.min(this.#validNodes, ids.length);
    if (this.#nodesPath[reused - 1] !== ids[reused - 1]) reused = 0;
    const nodes = this.#lastNodes.slice(0, reused);
    for (const node of this.#load(ids.slice(reused))) nodes.push(node);
    // Only a complete path can be reused (a node missing from the database leaves a gap).
    this.#nodesPath = ids;
    this.#lastNodes = nodes;
    this.#validNodes = nodes.length === ids.length ? nodes.length : 0;
    return nodes.slice();
  }

  /** The last `count` nodes of the path to `nodeId` and the whole path's length; only those nodes are read. */
  tail(nodeId: number, count: number): { length: number; nodes: StoryNode[] } {
    const ids = this.pathIds(nodeId);
    return { length: ids.length, nodes: this.#load(ids.slice(Math.max(0, ids.length - count))) };
  }

  /** Nodes `start` to `end` (exclusive) of the path to `nodeId`; only those are read. */
  range(nodeId: number, start: number, end: number): StoryNode[] {
    return this.#load(this.pathIds(nodeId).slice(start, end));
  }

  /** The nodes of `ids` in order, reading those not cached in one query; unknown ids are left out. */
  #load(ids: readonly number[]): StoryNode[] {
    let missing = ids.filter((id) => !this.#nodes.has(id));
    if (missing.length > 0) {
      // A full cache starts over, and then every node asked for is read (not only the ones that were missing).
      if (this.#nodes.size + missing.length > MAX_ENTRIES) {
        this.#nodes.clear();
        missing = [...ids];
      }
      const rows = this.#db.all<NodeRow>(
        `SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.id IN (SELECT value FROM json_each(?))`,
        [JSON.stringify(missing)],
      );
      for (const row of rows) this.#nodes.set(row.id, rowToNode(row));
    }
    const nodes: StoryNode[] = [];
    for (const id of ids) {
      const node = this.#nodes.get(id);
      if (node) nodes.push(node);
    }
    return nodes;
  }

  /**
   * The ids from the root to `nodeId`, without walking ten thousand rows when the path is the last one, one longer,
   * or a prefix of it. The array is shared: callers must not change it.
   */
  pathIds(nodeId: number): readonly number[] {
    this.#checkOtherWriters();
    const last = this.#lastPath;
    let ids: number[];
    if (last.at(-1) === nodeId) ids = last;
    else {
      const at = last.lastIndexOf(nodeId);
      const parent = at === -1 ? this.#db.get<{ parent_id: number | null }>('SELECT parent_id FROM nodes WHERE id = ?', [nodeId]) : undefined;
      if (at !== -1) ids = last.slice(0, at + 1);
      else if (parent && parent.parent_id !== null && last.at(-1) === parent.parent_id) ids = [...last, nodeId];
      else ids = this.#db.all<{ id: number }>(PATH_IDS_SQL, [nodeId]).map((r) => r.id);
    }
    this.#lastPath = ids;
    return ids;
  }

  /** The node and its siblings (whose sibling counts change when a child is added or removed). */
  forgetFamily(parentId: number | null, nodeId?: number): void {
    if (nodeId !== undefined) this.forget(nodeId);
    if (parentId === null) return;
    for (const { id } of this.#db.all<{ id: number }>('SELECT id FROM nodes WHERE parent_id = ?', [parentId])) this.#nodes.delete(id);
    // Of the siblings, only the one right below the parent can lie on the last path.
    const at = this.#nodesPath.lastIndexOf(parentId);
    if (at !== -1) this.#validNodes = Math.min(this.#validNodes, at + 1);
  }

  forget(nodeId: number): void {
    this.#nodes.delete(nodeId);
    const at = this.#nodesPath.lastIndexOf(nodeId);
    if (at !== -1) this.#validNodes = Math.min(this.#validNodes, at);
  }

  clear(): void {
    this.#nodes.clear();
    this.#lastPath = [];
    this.#nodesPath = [];
    this.#lastNodes = [];
    this.#validNodes = 0;
  }

  #checkOtherWriters(): void {
    // data_version changes only when another connection commits; our own writes go through forget/clear.
    const version = this.#db.pragma<number>('data_version');
    if (version !== this.#dataVersion) {
      this.clear();
      this.#dataVersion = version;
    }
  }
}
