import type { EngineSettingsPatch, StoryNode, StorySummary, StoryView, TokenSurprisal, TreeNode } from '../contract/index.js';
import { keepValidPhrases, keepValidSettings, LongtaleError } from '../contract/index.js';
import type { SqliteDatabase } from '../../native/sqlite/index.js';
import { checkNodeFields } from './checkNodeFields.js';
import { countWords } from './countWords.js';
import { FactList, type StoredFact } from './FactList.js';
import { insertNode, type InsertNodeParts } from './insertNode.js';
import { makeCurrent } from './makeCurrent.js';
import { NodeCache } from './NodeCache.js';
import { NodeTokens } from './NodeTokens.js';
import type { NewNodeRecord } from './NewNodeRecord.js';
import type { NewStoryRecord } from './NewStoryRecord.js';
import type { NodeStatePatch } from './NodeStatePatch.js';
import { isRecord, parseJson } from './parseJson.js';
import { rowToSummary } from './rowToSummary.js';
import { StoryReader } from './StoryReader.js';

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
  /** Return only the last `window` nodes of the new node's path, reading only those (see StoryReader.view). */
  window?: number;
}

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
 * Reads and the checks operations start with are in StoryReader; this class holds the writes.
 */
export class StoryStore {
  readonly #db: SqliteDatabase;
  readonly #now: () => number;
  readonly #facts: FactList;
  readonly #tokens: NodeTokens;
  readonly #cache: NodeCache;
  readonly #read: StoryReader;
  readonly #insertParts: InsertNodeParts;

  constructor(db: SqliteDatabase, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
    this.#facts = new FactList(db, (storyId) => this.#touch(storyId));
    this.#tokens = new NodeTokens(db);
    this.#cache = new NodeCache(db);
    this.#read = new StoryReader(db, this.#cache);
    this.#insertParts = { db, tokens: this.#tokens, cache: this.#cache };
  }

  list(): StorySummary[] {
    return this.#read.list();
  }

  /** Creates a story with its first passage as the root node, and makes that node current. */
  create(record: NewStoryRecord): StoryView {
    checkNodeFields(record.root);
    return this.#db.transaction(() => {
      const now = this.#now();
      const storyId = Number(
        this.#db.run(
          `INSERT INTO stories (title, premise, genre, style, outline, settings, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [record.title, record.premise, record.genre ?? '', record.style ?? '', record.outline ?? '', JSON.stringify(record.settings ?? {}), now, now],
        ).lastInsertRowid,
      );
      const nodeId = insertNode(this.#insertParts, storyId, null, record.root, { now, visitedAt: now });
      this.#db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [nodeId, storyId]);
      return this.#read.view(storyId, nodeId);
    });
  }

  /**
   * The path from the root to `nodeId` (by default the story's current node); `currentNodeId` is that node. With
   * `window`, only the last `window` nodes of the path are read and returned (see StoryView.pathStart).
   */
  open(storyId: number, nodeId?: number, window?: number): StoryView {
    if (nodeId !== undefined) this.#read.nodeRef(storyId, nodeId);
    return this.#read.view(storyId, nodeId ?? this.#read.currentId(storyId), window);
  }

  /** Nodes `start` to `end` (exclusive) of the path to `nodeId`, reading only those. */
  pathRange(nodeId: number, start: number, end: number): StoryNode[] {
    return this.#read.pathRange(nodeId, start, end);
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
    this.#read.nodeRef(storyId, nodeId);
    return this.#read.node(nodeId);
  }

  /** The nodes written from `nodeId`, in sibling order. */
  children(storyId: number, nodeId: number): StoryNode[] {
    this.#read.nodeRef(storyId, nodeId);
    return this.#read.children(nodeId);
  }

  /** `nodeId` and its siblings (the retries of one step), in sibling order. */
  siblings(storyId: number, nodeId: number): StoryNode[] {
    const ref = this.#read.nodeRef(storyId, nodeId);
    return ref.parent_id === null ? [this.#read.node(nodeId)] : this.#read.children(ref.parent_id);
  }

  /**
   * Adds a node under `parentId` after its existing children. Returns the view of the new node; with
   * `makeCurrent: false` the story's current node stays where it was.
   */
  addNode(storyId: number, parentId: number, record: NewNodeRecord, options: AddNodeOptions = {}): StoryView {
    checkNodeFields(record);
    return this.#db.transaction(() => {
      const story = this.#read.storyRef(storyId);
      this.#read.nodeRef(storyId, parentId);
      const now = this.#now();
      const nodeId = insertNode(this.#insertParts, storyId, parentId, record, { now, visitedAt: null });
      this.#touch(storyId, now);
      if (options.makeCurrent ?? true) {
        makeCurrent(this.#db, storyId, nodeId, { now, isChildOfCurrent: parentId === story.current_node_id });
      }
      return this.#read.view(storyId, nodeId, options.window);
    });
  }

  /** The skeleton of the story's whole tree, in id order, in one query (sibling positions by window function). */
  tree(storyId: number): TreeNode[] {
    return this.#read.tree(storyId);
  }

  /** Makes `nodeId` the current node. Views of this and the moves below are windowed as in `open`. */
  checkout(storyId: number, nodeId: number, window?: number): StoryView {
    return this.#db.transaction(() => {
      const story = this.#read.storyRef(storyId);
      const ref = this.#read.nodeRef(storyId, nodeId);
      const isChildOfCurrent = ref.parent_id !== null && ref.parent_id === story.current_node_id;
      makeCurrent(this.#db, storyId, nodeId, { now: this.#now(), isChildOfCurrent });
      return this.#read.view(storyId, nodeId, window);
    });
  }

  /** Steps back to the parent of the current node. */
  undo(storyId: number, window?: number): StoryView {
    return this.#db.transaction(() => {
      const current = this.#read.nodeRef(storyId, this.#read.currentId(storyId));
      if (current.parent_id === null) {
        throw new LongtaleError('INVALID_INPUT', 'Nothing to undo: this is the first passage.');
      }
      // The parent is already on the visited path; only the pointer moves, so redo can come back.
      this.#db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [current.parent_id, storyId]);
      return this.#read.view(storyId, current.parent_id, window);
    });
  }

  /** Steps forward to the child of the current node that was visited most recently. */
  redo(storyId: number, window?: number): StoryView {
    return this.#db.transaction(() => {
      const currentId = this.#read.currentId(storyId);
      const next = this.#db.get<{ id: number }>(
        `SELECT id FROM nodes WHERE parent_id = ? AND visited_at IS NOT NULL ORDER BY visited_at DESC, id DESC LIMIT 1`,
        [currentId],
      );
      if (!next) throw new LongtaleError('INVALID_INPUT', 'Nothing to redo: no later passage was read from here.');
      makeCurrent(this.#db, storyId, next.id, { now: this.#now(), isChildOfCurrent: true });
      return this.#read.view(storyId, next.id, window);
    });
  }

  /**
   * Replaces a passage. Every node after it was written from the old text, so its descendants are marked stale.
   * Returns the story's current view.
   */
  editPassage(storyId: number, nodeId: number, passage: string, window?: number): StoryView {
    if (passage.trim() === '') throw new LongtaleError('INVALID_INPUT', 'The passage is empty.');
    return this.#db.transaction(() => {
      this.#read.nodeRef(storyId, nodeId);
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
      return this.#read.view(storyId, this.#read.currentId(storyId), window);
    });
  }

  /** How deep the node lies: 0 for the first passage. Its turn, for the surprisal memory. */
  depth(storyId: number, nodeId: number): number {
    this.#read.nodeRef(storyId, nodeId);
    return this.#read.depth(nodeId);
  }

  /** Surprisal of each token of the node's passage (the heatmap); empty when it was never scored or was edited since. */
  tokens(storyId: number, nodeId: number): TokenSurprisal[] {
    this.#read.nodeRef(storyId, nodeId);
    return this.#tokens.get(nodeId);
  }

  /** Updates part of a node's state (memory, plans, summary, stats, staleness); other fields keep their value. */
  updateState(storyId: number, nodeId: number, patch: NodeStatePatch): StoryNode {
    checkNodeFields(patch);
    return this.#db.transaction(() => {
      this.#read.nodeRef(storyId, nodeId);
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
      return this.#read.node(nodeId);
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
      this.#read.storyRef(storyId);
      this.#db.run(
        `UPDATE stories SET title = coalesce(?, title), genre = coalesce(?, genre), style = coalesce(?, style),
           outline = coalesce(?, outline), updated_at = ? WHERE id = ?`,
        [patch.title ?? null, patch.genre ?? null, patch.style ?? null, patch.outline ?? null, this.#now(), storyId],
      );
      return rowToSummary(this.#read.story(storyId));
    });
  }

  /** The story's own generation settings (only the keys it sets); a key no longer valid is left out. */
  settings(storyId: number): EngineSettingsPatch {
    this.#read.storyRef(storyId);
    const row = this.#db.get<{ settings: string }>('SELECT settings FROM stories WHERE id = ?', [storyId]);
    return keepValidSettings(parseJson(row?.settings ?? '{}'));
  }

  /**
   * Replaces the story's own settings with `own` (already checked against the bounds); {} follows the app's.
   * Not an edit of the story: the library's "last changed" stays where the writing left it.
   */
  setSettings(storyId: number, own: EngineSettingsPatch): void {
    this.#db.transaction(() => {
      this.#read.storyRef(storyId);
      this.#db.run('UPDATE stories SET settings = ? WHERE id = ?', [JSON.stringify(own), storyId]);
    });
  }

  /** Phrases the story's passages never contain, besides the app's; an entry no longer valid is left out. */
  avoid(storyId: number): string[] {
    this.#read.storyRef(storyId);
    const row = this.#db.get<{ avoid: string }>('SELECT avoid FROM stories WHERE id = ?', [storyId]);
    return keepValidPhrases(parseJson(row?.avoid ?? '[]'));
  }

  /** Replaces them (already checked); not an edit of the story either. */
  setAvoid(storyId: number, phrases: readonly string[]): void {
    this.#db.transaction(() => {
      this.#read.storyRef(storyId);
      this.#db.run('UPDATE stories SET avoid = ? WHERE id = ?', [JSON.stringify(phrases), storyId]);
    });
  }

  /** The story bible: pinned facts in the author's order, each for the whole story or from a passage on. */
  facts(storyId: number): StoredFact[] {
    this.#read.storyRef(storyId);
    return this.#facts.list(storyId);
  }

  /** The facts that hold for a passage written after `nodeId` (null: the opening): the whole story's and those pinned on its path. */
  factsAfter(storyId: number, nodeId: number | null): StoredFact[] {
    const path = nodeId === null ? new Set<number>() : new Set(this.pathIds(nodeId));
    return this.facts(storyId).filter((f) => f.fromNodeId === null || path.has(f.fromNodeId));
  }

  /** A fact for the whole story, or (with `fromNodeId`, a node of the story) from that passage on, on its branch. */
  addFact(storyId: number, text: string, fromNodeId: number | null = null): StoredFact {
    return this.#db.transaction(() => {
      this.#read.storyRef(storyId);
      if (fromNodeId !== null) this.node(storyId, fromNodeId);
      return this.#facts.add(storyId, text, this.#now(), fromNodeId);
    });
  }

  editFact(storyId: number, factId: number, text: string): void {
    this.#db.transaction(() => {
      this.#read.storyRef(storyId);
      this.#facts.edit(storyId, factId, text);
    });
  }

  removeFact(storyId: number, factId: number): void {
    this.#db.transaction(() => {
      this.#read.storyRef(storyId);
      this.#facts.remove(storyId, factId);
    });
  }

  #touch(storyId: number, now = this.#now()): void {
    this.#db.run('UPDATE stories SET updated_at = ? WHERE id = ?', [now, storyId]);
  }
}
