import type { Fact, StoryNode, StorySummary, StoryView, TokenSurprisal, TreeNode } from '../contract/index.js';
import { LongtaleError } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';
import { checkNodeFields } from './checkNodeFields.js';
import { countWords } from './countWords.js';
import { FactList } from './FactList.js';
import { makeCurrent } from './makeCurrent.js';
import { NodeTokens } from './NodeTokens.js';
import type { NewNodeRecord } from './NewNodeRecord.js';
import type { NewStoryRecord } from './NewStoryRecord.js';
import type { NodeStatePatch } from './NodeStatePatch.js';
import { isRecord, parseJson } from './parseJson.js';
import { NODE_COLUMNS, rowToNode, type NodeRow } from './rowToNode.js';
import { rowToSummary, STORY_COLUMNS, type StoryRow } from './rowToSummary.js';
import { NodeCache } from './NodeCache.js';

/** The story fields an author may change after the opening. */
export interface StoryPatch {
  title?: string;
  genre?: string;
  style?: string;
  outline?: string;
}

export interface AddNodeOptions {
  /** Make the new node the story's current node (default). Otherwise the story stays where it was. */
  makeCurrent?: boolean;
}

interface NodeRef {
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

/** The first words of a passage, cut at a word boundary. */
function treeLabel(head: string): string {
  const text = head.replace(/\s+/gu, ' ').trim();
  if (text.length <= TREE_LABEL_CHARS) return text;
  const cut = text.slice(0, TREE_LABEL_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TREE_LABEL_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/u, '')}…`;
}

/** Ancestors of a node counted upwards (bounded, so a parent cycle written by hand cannot spin). */
const DEPTH_SQL = `
  WITH RECURSIVE up(id, depth) AS (
    SELECT parent_id, 0 FROM nodes WHERE id = ?
    UNION ALL
    SELECT n.parent_id, up.depth + 1 FROM up JOIN nodes n ON n.id = up.id WHERE up.depth < 100000
  )
  SELECT count(*) AS depth FROM up WHERE id IS NOT NULL`;

/** Marks every node below the given one stale, however deep (through nodes_by_parent at each level). */
const DESCENDANTS_STALE_SQL = `
  WITH RECURSIVE down(id) AS (
    SELECT id FROM nodes WHERE parent_id = ?
    UNION -- not ALL: a parent cycle written by hand then ends the walk instead of spinning
    SELECT n.id FROM down JOIN nodes n ON n.parent_id = down.id
  )
  UPDATE nodes SET stale = 1 WHERE stale = 0 AND id IN (SELECT id FROM down)`;

/**
 * Stories and their node trees. Every write is one transaction, so a crash never leaves half a story. A view
 * (StoryView) is always the path from the root to one node: the current node unless another is asked for.
 */
export class StoryStore {
  readonly #db: SqliteDatabase;
  readonly #now: () => number;
  readonly #facts: FactList;
  readonly #tokens: NodeTokens;
  readonly #cache: NodeCache;

  constructor(db: SqliteDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
    this.#facts = new FactList(db, (storyId) => this.#touch(storyId));
    this.#tokens = new NodeTokens(db);
    this.#cache = new NodeCache(db);
  }

  list(): StorySummary[] {
    return this.#db
      .all<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.deleted_at IS NULL ORDER BY s.updated_at DESC, s.id DESC`)
      .map(rowToSummary);
  }

  /** Creates a story with its first passage as the root node, and makes that node current. */
  create(record: NewStoryRecord): StoryView {
    checkNodeFields(record.root);
    return this.#db.transaction(() => {
      const now = this.#now();
      const storyId = Number(
        this.#db.run(
          `INSERT INTO stories (title, premise, genre, style, outline, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [record.title, record.premise, record.genre ?? '', record.style ?? '', record.outline ?? '', now, now],
        ).lastInsertRowid,
      );
      const nodeId = this.#insertNode(storyId, null, record.root, now, now);
      this.#db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [nodeId, storyId]);
      return this.#view(storyId, nodeId);
    });
  }

  /** The path from the root to `nodeId` (by default the story's current node); `currentNodeId` is that node. */
  open(storyId: number, nodeId?: number): StoryView {
    const story = this.#story(storyId);
    if (nodeId === undefined) {
      if (story.current_node_id === null) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
      return { story: rowToSummary(story), currentNodeId: story.current_node_id, path: this.pathTo(story.current_node_id) };
    }
    this.#nodeRef(storyId, nodeId);
    return { story: rowToSummary(story), currentNodeId: nodeId, path: this.pathTo(nodeId) };
  }

  /** Nodes from the root down to `nodeId`, in story order; empty for an unknown node. */
  pathTo(nodeId: number): StoryNode[] {
    return this.#cache.path(nodeId);
  }

  /** The ids of pathTo(nodeId), shared with the cache (do not change the array). */
  pathIds(nodeId: number): readonly number[] {
    return this.#cache.pathIds(nodeId);
  }

  /** Drops cached nodes after changes made outside this class (deleting branches or stories, imports). */
  forgetCached(): void {
    this.#cache.clear();
  }

  node(storyId: number, nodeId: number): StoryNode {
    this.#nodeRef(storyId, nodeId);
    return this.#node(nodeId);
  }

  /** The nodes written from `nodeId`, in sibling order. */
  children(storyId: number, nodeId: number): StoryNode[] {
    this.#nodeRef(storyId, nodeId);
    return this.#children(nodeId);
  }

  /** `nodeId` and its siblings (the retries of one step), in sibling order. */
  siblings(storyId: number, nodeId: number): StoryNode[] {
    const ref = this.#nodeRef(storyId, nodeId);
    return ref.parent_id === null ? [this.#node(nodeId)] : this.#children(ref.parent_id);
  }

  /**
   * Adds a node under `parentId` after its existing children. Returns the view of the new node; with
   * `makeCurrent: false` the story's current node stays where it was.
   */
  addNode(storyId: number, parentId: number, record: NewNodeRecord, options: AddNodeOptions = {}): StoryView {
    checkNodeFields(record);
    return this.#db.transaction(() => {
      const story = this.#storyRef(storyId);
      this.#nodeRef(storyId, parentId);
      const now = this.#now();
      const nodeId = this.#insertNode(storyId, parentId, record, now, null);
      this.#touch(storyId, now);
      if (options.makeCurrent ?? true) {
        makeCurrent(this.#db, storyId, nodeId, { now, isChildOfCurrent: parentId === story.current_node_id });
      }
      return this.#view(storyId, nodeId);
    });
  }

  /** The skeleton of the story's whole tree, in id order, in one query (sibling positions by window function). */
  tree(storyId: number): TreeNode[] {
    this.#storyRef(storyId);
    return this.#db.all<TreeRow>(TREE_SQL, [storyId]).map((row) => ({
      id: row.id,
      parentId: row.parent_id,
      siblingIndex: row.sibling_index,
      label: treeLabel(row.head),
    }));
  }

  /** Makes `nodeId` the current node. */
  checkout(storyId: number, nodeId: number): StoryView {
    return this.#db.transaction(() => {
      const story = this.#storyRef(storyId);
      const ref = this.#nodeRef(storyId, nodeId);
      const isChildOfCurrent = ref.parent_id !== null && ref.parent_id === story.current_node_id;
      makeCurrent(this.#db, storyId, nodeId, { now: this.#now(), isChildOfCurrent });
      return this.#view(storyId, nodeId);
    });
  }

  /** Steps back to the parent of the current node. */
  undo(storyId: number): StoryView {
    return this.#db.transaction(() => {
      const current = this.#nodeRef(storyId, this.#currentId(storyId));
      if (current.parent_id === null) {
        throw new LongtaleError('INVALID_INPUT', 'Nothing to undo: this is the first passage.');
      }
      // The parent is already on the visited path; only the pointer moves, so redo can come back.
      this.#db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [current.parent_id, storyId]);
      return this.#view(storyId, current.parent_id);
    });
  }

  /** Steps forward to the child of the current node that was visited most recently. */
  redo(storyId: number): StoryView {
    return this.#db.transaction(() => {
      const currentId = this.#currentId(storyId);
      const next = this.#db.get<{ id: number }>(
        `SELECT id FROM nodes WHERE parent_id = ? AND visited_at IS NOT NULL ORDER BY visited_at DESC, id DESC LIMIT 1`,
        [currentId],
      );
      if (!next) throw new LongtaleError('INVALID_INPUT', 'Nothing to redo: no later passage was read from here.');
      makeCurrent(this.#db, storyId, next.id, { now: this.#now(), isChildOfCurrent: true });
      return this.#view(storyId, next.id);
    });
  }

  /**
   * Replaces a passage. Every node after it was written from the old text, so its descendants are marked stale.
   * Returns the story's current view.
   */
  editPassage(storyId: number, nodeId: number, passage: string): StoryView {
    if (passage.trim() === '') throw new LongtaleError('INVALID_INPUT', 'The passage is empty.');
    return this.#db.transaction(() => {
      this.#nodeRef(storyId, nodeId);
      const old = this.#db.get<{ passage: string }>('SELECT passage FROM nodes WHERE id = ?', [nodeId]);
      if (old?.passage !== passage) {
        const now = this.#now();
        this.#db.run('UPDATE nodes SET passage = ?, word_count = ?, edited_at = ? WHERE id = ?', [
          passage,
          countWords(passage),
          now,
          nodeId,
        ]);
        this.#db.run(DESCENDANTS_STALE_SQL, [nodeId]);
        this.#cache.clear(); // the node and every descendant changed
        // The heatmap measured the old text; recompute scores the new one.
        this.#tokens.delete(nodeId);
        this.#touch(storyId, now);
      }
      return this.#view(storyId, this.#currentId(storyId));
    });
  }

  /** How deep the node lies: 0 for the first passage. Its turn, for the surprisal memory. */
  depth(storyId: number, nodeId: number): number {
    this.#nodeRef(storyId, nodeId);
    return this.#db.get<{ depth: number }>(DEPTH_SQL, [nodeId])?.depth ?? 0;
  }

  /** Surprisal of each token of the node's passage (the heatmap); empty when it was never scored or was edited since. */
  tokens(storyId: number, nodeId: number): TokenSurprisal[] {
    this.#nodeRef(storyId, nodeId);
    return this.#tokens.get(nodeId);
  }

  /** Updates part of a node's state (memory, plans, summary, stats, staleness); other fields keep their value. */
  updateState(storyId: number, nodeId: number, patch: NodeStatePatch): StoryNode {
    checkNodeFields(patch);
    return this.#db.transaction(() => {
      this.#nodeRef(storyId, nodeId);
      // Keys this version does not know (older builds wrote e.g. the model name) are kept.
      const row = this.#db.get<{ state: string }>('SELECT state FROM nodes WHERE id = ?', [nodeId]);
      const parsed = parseJson(row?.state ?? '{}');
      const state = isRecord(parsed) ? parsed : {};
      for (const key of ['shortMemory', 'plans', 'keyMemory', 'stats'] as const) {
        if (patch[key] !== undefined) state[key] = patch[key];
      }
      if (patch.tokens !== undefined) this.#tokens.set(nodeId, patch.tokens);
      this.#cache.forget(nodeId);
      this.#db.run(
        'UPDATE nodes SET state = ?, summary = coalesce(?, summary), stale = coalesce(?, stale) WHERE id = ?',
        [JSON.stringify(state), patch.summary ?? null, patch.stale === undefined ? null : Number(patch.stale), nodeId],
      );
      this.#touch(storyId);
      return this.#node(nodeId);
    });
  }

  rename(storyId: number, title: string): StorySummary {
    return this.editStory(storyId, { title });
  }

  /** Changes the title, genre, style or outline; absent fields keep their value. */
  editStory(storyId: number, patch: StoryPatch): StorySummary {
    if (patch.title !== undefined && patch.title.trim() === '') {
      throw new LongtaleError('INVALID_INPUT', 'The title is empty.');
    }
    return this.#db.transaction(() => {
      this.#storyRef(storyId);
      this.#db.run(
        `UPDATE stories SET title = coalesce(?, title), genre = coalesce(?, genre), style = coalesce(?, style),
           outline = coalesce(?, outline), updated_at = ? WHERE id = ?`,
        [patch.title ?? null, patch.genre ?? null, patch.style ?? null, patch.outline ?? null, this.#now(), storyId],
      );
      return rowToSummary(this.#story(storyId));
    });
  }

  /** The story bible: pinned facts in the author's order. */
  facts(storyId: number): Fact[] {
    this.#storyRef(storyId);
    return this.#facts.list(storyId);
  }

  addFact(storyId: number, text: string): Fact {
    return this.#db.transaction(() => {
      this.#storyRef(storyId);
      return this.#facts.add(storyId, text, this.#now());
    });
  }

  editFact(storyId: number, factId: number, text: string): Fact {
    return this.#db.transaction(() => {
      this.#storyRef(storyId);
      return this.#facts.edit(storyId, factId, text);
    });
  }

  removeFact(storyId: number, factId: number): void {
    this.#db.transaction(() => {
      this.#storyRef(storyId);
      this.#facts.remove(storyId, factId);
    });
  }

  #insertNode(
    storyId: number,
    parentId: number | null,
    record: NewNodeRecord,
    now: number,
    visitedAt: number | null,
  ): number {
    const state = { shortMemory: record.shortMemory, plans: record.plans, keyMemory: record.keyMemory, stats: record.stats };
    const result = this.#db.run(
      `INSERT INTO nodes (story_id, parent_id, sibling_order, passage, word_count, summary, instruction, state,
         created_at, visited_at)
       VALUES (?, ?, (SELECT coalesce(max(sibling_order) + 1, 0) FROM nodes WHERE parent_id IS ? AND story_id = ?),
         ?, ?, ?, ?, ?, ?, ?)`,
      [
        storyId,
        parentId,
        parentId,
        storyId,
        record.passage,
        countWords(record.passage),
        record.summary,
        JSON.stringify(record.instruction),
        JSON.stringify(state),
        now,
        visitedAt,
      ],
    );
    const nodeId = Number(result.lastInsertRowid);
    const own = new Set(record.ownEntryIds ?? []);
    if (own.size > 0) {
      const keyMemory = record.keyMemory.map((e) => (own.has(e.id) ? { ...e, sourceNode: nodeId } : e));
      this.#db.run('UPDATE nodes SET state = ? WHERE id = ?', [JSON.stringify({ ...state, keyMemory }), nodeId]);
    }
    if (record.tokens) this.#tokens.set(nodeId, record.tokens);
    // The new node (its id may have been used by a deleted one) and its siblings, whose counts just changed.
    this.#cache.forgetFamily(parentId, nodeId);
    return nodeId;
  }

  #touch(storyId: number, now = this.#now()): void {
    this.#db.run('UPDATE stories SET updated_at = ? WHERE id = ?', [now, storyId]);
  }

  #view(storyId: number, nodeId: number): StoryView {
    return { story: rowToSummary(this.#story(storyId)), currentNodeId: nodeId, path: this.pathTo(nodeId) };
  }

  #node(nodeId: number): StoryNode {
    const row = this.#db.get<NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.id = ?`, [nodeId]);
    if (!row) throw new LongtaleError('NODE_NOT_FOUND', `There is no passage ${nodeId}.`);
    return rowToNode(row);
  }

  #children(nodeId: number): StoryNode[] {
    return this.#db
      .all<NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.parent_id = ? ORDER BY n.sibling_order, n.id`, [nodeId])
      .map(rowToNode);
  }

  #story(storyId: number): StoryRow {
    const row = this.#db.get<StoryRow>(`SELECT ${STORY_COLUMNS} FROM stories s WHERE s.id = ?`, [storyId]);
    if (!row) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    return row;
  }

  /** Existence and the current node, without the counts the full summary needs. */
  #storyRef(storyId: number): { current_node_id: number | null } {
    const row = this.#db.get<{ current_node_id: number | null }>('SELECT current_node_id FROM stories WHERE id = ?', [
      storyId,
    ]);
    if (!row) throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    return row;
  }

  #currentId(storyId: number): number {
    const current = this.#storyRef(storyId).current_node_id;
    if (current === null) throw new LongtaleError('NODE_NOT_FOUND', `Story ${storyId} has no passages.`);
    return current;
  }

  /** The node, which must belong to the story (checked first, so an unknown story is reported as such). */
  #nodeRef(storyId: number, nodeId: number): NodeRef {
    this.#storyRef(storyId);
    const ref = this.#db.get<NodeRef>('SELECT id, story_id, parent_id FROM nodes WHERE id = ?', [nodeId]);
    if (!ref || ref.story_id !== storyId) {
      throw new LongtaleError('NODE_NOT_FOUND', `There is no passage ${nodeId} in story ${storyId}.`);
    }
    return ref;
  }
}
