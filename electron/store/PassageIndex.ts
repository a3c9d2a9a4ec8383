import { createHash } from 'node:crypto';
import { LongtaleError } from '../contract/index.js';
import { loadVectorExtension, type SqliteDatabase } from '../../native/sqlite/index.js';
import { fuseRankings } from './fuseRankings.js';
import { TermFrequencies } from './TermFrequencies.js';
import { toFtsQuery } from './toFtsQuery.js';
import { toFtsTerms } from './toFtsTerms.js';

export interface PassageHit {
  nodeId: number;
  passage: string;
  summary: string;
  /** Higher is better: -BM25 for text-only searches, the reciprocal-rank-fusion score when a vector was given. */
  score: number;
}

export interface PassageSearchOptions {
  /** How many hits at most (default 3). */
  limit?: number;
  /** Leave out the last this many nodes of the path, `nodeId` first: the prompt has them verbatim (default 1). */
  excludeRecent?: number;
  /** The query's embedding; needs enableVectors with the same dimensions. Fused with BM25 by reciprocal rank. */
  queryVector?: Float32Array;
}

/**
 * What a node's vector stands for: its summary (what happened, in few words), then its passage. The SQL twin below
 * must build the same text: a vector is current while the text it was made from equals this.
 */
export function embeddingText(node: { passage: string; summary: string }): string {
  return node.summary === '' ? node.passage : `${node.summary}\n\n${node.passage}`;
}
const EMBEDDING_TEXT_SQL = `CASE WHEN n.summary = '' THEN n.passage ELSE n.summary || char(10, 10) || n.passage END`;

/** A node whose vector is missing, or was made from other text (edited since, perhaps while no model was set). */
export interface StaleNode {
  nodeId: number;
  passage: string;
  summary: string;
}

/** sqlite-vec refuses a larger k. */
const MAX_KNN = 4096;
/** Fusion needs more candidates than it returns: each list is cut this many times the limit before fusing. */
const CANDIDATES_PER_HIT = 8;
const MAX_DIMENSIONS = 8192;
/** Deeper than any story: only a parent cycle written by hand reaches it, and then the walk ends instead of spinning. */
const MAX_DEPTH = 100_000;

/** The path from the root to a node, in story order (StoryStore.pathIds, which reuses the path it last walked). */
export type PathIds = (nodeId: number) => readonly number[];

/** Ancestors walked in SQL, for an index used without a StoryStore. */
const PATH_IDS_SQL = `
  WITH RECURSIVE up(id, depth) AS (
    SELECT id, 0 FROM nodes WHERE id = ?
    UNION ALL
    SELECT n.parent_id, up.depth + 1 FROM up JOIN nodes n ON n.id = up.id
    WHERE n.parent_id IS NOT NULL AND up.depth < ${MAX_DEPTH}
  )
  SELECT id FROM up ORDER BY depth DESC`;

/** Every passage of the index matching a query, best first; only ids and scores, texts are read for the winners. */
const RANK_SQL = `SELECT rowid AS id, bm25(nodes_fts) AS bm25 FROM nodes_fts WHERE nodes_fts MATCH ? ORDER BY bm25, rowid`;

/**
 * Long-term memory: retrieval of earlier passages on the path to a node, by full text (FTS5, BM25) and, when an
 * embedding model is configured, by vector (sqlite-vec), fused by reciprocal rank.
 */
export class PassageIndex {
  readonly #db: SqliteDatabase;
  readonly #pathIds: PathIds;
  readonly #terms: TermFrequencies;
  #dimensions: number | undefined;
  #table: string | undefined;
  /** The eligible set of the last search: an auto run searches from the same node with several queries. */
  #eligible: { path: readonly number[]; exclude: number; ids: Set<number> } | undefined;

  /** `pathIds` should be the story store's (openStore wires it), so the path is not walked again for each search. */
  constructor(db: SqliteDatabase, pathIds?: PathIds) {
    this.#db = db;
    this.#pathIds = pathIds ?? ((nodeId) => db.all<{ id: number }>(PATH_IDS_SQL, [nodeId]).map((r) => r.id));
    this.#terms = new TermFrequencies(db);
  }

  /** The embedding size enableVectors was called with, if it was. */
  get vectorDimensions(): number | undefined {
    return this.#dimensions;
  }

  search(storyId: number, nodeId: number, queryText: string, options: PassageSearchOptions = {}): PassageHit[] {
    const limit = wholeNumber(options.limit, 3, MAX_KNN);
    const exclude = wholeNumber(options.excludeRecent, 1, MAX_DEPTH);
    this.#checkNode(storyId, nodeId);
    const vector = options.queryVector;
    if (vector) this.#checkVector(vector);
    if (limit === 0) return [];
    const eligible = this.#eligibleIds(nodeId, exclude);
    const terms = toFtsTerms(queryText);

    if (!vector) return this.#textRanking(terms, eligible, limit).map((r) => ({ ...this.#texts(r.id), score: -r.bm25 }));
    const candidates = Math.min(MAX_KNN, limit * CANDIDATES_PER_HIT);
    const text = this.#textRanking(terms, eligible, candidates).map((r) => r.id);
    const near = this.#vectorRanking(storyId, eligible, vector, candidates);
    const fused = fuseRankings([text, near]).slice(0, limit);
    return fused.map(({ id, score }) => ({ ...this.#texts(id), score }));
  }

  /**
   * Loads sqlite-vec on this connection and creates the vector table for this embedding model if it is missing.
   * The size depends on the model, so the table is made here rather than in a migration. Vectors of two models are
   * not comparable even at one size, so each model (`model`: the embedder's id) gets its own table: switching
   * models starts a fresh index beside the old one (filled by backfill), and switching back finds the old one again.
   */
  enableVectors(dimensions: number, model?: string): void {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new LongtaleError('INVALID_INPUT', `An embedding size of ${dimensions} is not supported.`);
    }
    loadVectorExtension(this.#db);
    const table = vectorTable(dimensions, model);
    this.#db.transaction(() => {
      this.#db.exec(
        // `source`: the text the vector was made from, so an edit made while this model was not loaded is noticed.
        `CREATE VIRTUAL TABLE IF NOT EXISTS ${table} USING vec0(
           node_id INTEGER PRIMARY KEY, story_id INTEGER, embedding float[${dimensions}] distance_metric=cosine,
           +source TEXT)`,
      );
      // Virtual tables take no foreign keys: drop vectors of nodes deleted since, before a reused id finds them.
      this.#db.run(`DELETE FROM ${table} WHERE node_id NOT IN (SELECT id FROM nodes)`);
    });
    this.#dimensions = dimensions;
    this.#table = table;
  }

  /** The vector table in use: one per embedding model (see enableVectors). */
  get vectorTable(): string | undefined {
    return this.#table;
  }

  /**
   * Nodes on the path to `nodeId` (inclusive) whose vector is missing or stale, root first, at most `limit`:
   * passages written or edited while this embedding model was not configured, or imported. Retrieval only ever
   * looks at this path.
   */
  unembeddedAncestors(storyId: number, nodeId: number, limit: number): StaleNode[] {
    this.#checkNode(storyId, nodeId);
    if (this.#table === undefined || limit <= 0) return [];
    return this.#db.all(
      `SELECT n.id AS nodeId, n.passage, n.summary FROM json_each(?) e JOIN nodes n ON n.id = e.value
       WHERE ${this.#staleSql()}
       ORDER BY n.id LIMIT ?`,
      [JSON.stringify(this.#pathIds(nodeId)), limit],
    );
  }

  /** Nodes of a story with an id above `afterId` and a missing or stale vector, in id order, at most `limit`. */
  unembeddedNodes(storyId: number, afterId: number, limit: number): StaleNode[] {
    if (!this.#db.get('SELECT 1 FROM stories WHERE id = ?', [storyId])) {
      throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    }
    if (this.#table === undefined || limit <= 0) return [];
    return this.#db.all(
      `SELECT n.id AS nodeId, n.passage, n.summary FROM nodes n
       WHERE n.story_id = ? AND n.id > ? AND ${this.#staleSql()}
       ORDER BY n.id LIMIT ?`,
      [storyId, afterId, limit],
    );
  }

  /**
   * True for a node `n` with text but without a vector made from that text (a scalar subquery: vec0 filters only
   * by key). A blank node never gets a vector, so it must not count, or it would be asked for again and again.
   */
  #staleSql(): string {
    return `trim(${EMBEDDING_TEXT_SQL}, ' ' || char(9, 10, 13)) != ''
       AND (SELECT v.source FROM ${this.#table ?? ''} v WHERE v.node_id = n.id) IS NOT (${EMBEDDING_TEXT_SQL})`;
  }

  /** Stores (or replaces) the embedding of a node's passage. */
  setVector(storyId: number, nodeId: number, vector: Float32Array): void {
    this.#checkVector(vector);
    const table = this.#table ?? '';
    this.#db.transaction(() => {
      this.#checkNode(storyId, nodeId);
      // vec0 has no upsert; and it wants integer keys as BigInt (a JS number binds as a float).
      this.#db.run(`DELETE FROM ${table} WHERE node_id = ?`, [BigInt(nodeId)]);
      // The source is the node's text as stored now, within the write that commits it.
      const source = this.#db.get<{ text: string }>(`SELECT ${EMBEDDING_TEXT_SQL} AS text FROM nodes n WHERE n.id = ?`, [nodeId])?.text;
      this.#db.run(`INSERT INTO ${table} (node_id, story_id, embedding, source) VALUES (?, ?, ?, ?)`, [
        BigInt(nodeId),
        BigInt(storyId),
        toBlob(vector),
        source ?? null,
      ]);
    });
  }

  /**
   * The ancestors of the node that are at least `exclude` steps above it. Long-term memory is the story as it
   * happened on this branch: a sibling branch or another story never leaks into a prompt.
   */
  #eligibleIds(nodeId: number, exclude: number): Set<number> {
    const path = this.#pathIds(nodeId);
    const last = this.#eligible;
    if (last?.path === path && last.exclude === exclude) return last.ids;
    const ids = new Set(path.slice(0, Math.max(0, path.length - exclude)));
    this.#eligible = { path, exclude, ids };
    return ids;
  }

  /**
   * The best `limit` eligible passages by BM25. Words in half the passages or more are left out first (see
   * TermFrequencies): the ranking is the same and far fewer rows are scored. Only if that leaves too few hits (the
   * rest matched only common words, or a short story made every word common) is the full query run.
   */
  #textRanking(terms: readonly string[], eligible: Set<number>, limit: number): { id: number; bm25: number }[] {
    if (terms.length === 0 || eligible.size === 0) return [];
    const informative = this.#terms.informative(terms);
    if (informative.length > 0 && informative.length < terms.length) {
      const hits = this.#ranked(informative, eligible, limit);
      if (hits.length === limit) return hits;
    }
    return this.#ranked(terms, eligible, limit);
  }

  #ranked(terms: readonly string[], eligible: Set<number>, limit: number): { id: number; bm25: number }[] {
    const hits: { id: number; bm25: number }[] = [];
    // The index holds every story: rows off this path are skipped here, as they come, best first.
    for (const row of this.#db.iterate<{ id: number; bm25: number }>(RANK_SQL, [toFtsQuery(terms)])) {
      if (!eligible.has(row.id)) continue;
      hits.push(row);
      if (hits.length === limit) break;
    }
    return hits;
  }

  /** Nearest vectors of this story (filtered inside the KNN), then cut to the eligible path. */
  #vectorRanking(storyId: number, eligible: Set<number>, vector: Float32Array, k: number): number[] {
    return this.#db
      .all<{ nodeId: number }>(
        // sqlite-vec allows only its own ORDER BY distance: ties are ordered by id outside the KNN.
        `WITH near(node_id, distance) AS MATERIALIZED (
           SELECT node_id, distance FROM ${this.#table ?? ''}
           WHERE embedding MATCH @vector AND k = @k AND story_id = @story
         )
         SELECT node_id AS nodeId FROM near ORDER BY distance, node_id`,
        { vector: toBlob(vector), k, story: storyId },
      )
      .map((r) => r.nodeId)
      .filter((id) => eligible.has(id));
  }

  #texts(nodeId: number): { nodeId: number; passage: string; summary: string } {
    const row = this.#db.get<{ passage: string; summary: string }>('SELECT passage, summary FROM nodes WHERE id = ?', [
      nodeId,
    ]);
    return { nodeId, passage: row?.passage ?? '', summary: row?.summary ?? '' };
  }

  #checkNode(storyId: number, nodeId: number): void {
    if (!this.#db.get('SELECT 1 FROM stories WHERE id = ?', [storyId])) {
      throw new LongtaleError('STORY_NOT_FOUND', `There is no story ${storyId}.`);
    }
    if (!this.#db.get('SELECT 1 FROM nodes WHERE id = ? AND story_id = ?', [nodeId, storyId])) {
      throw new LongtaleError('NODE_NOT_FOUND', `There is no passage ${nodeId} in story ${storyId}.`);
    }
  }

  #checkVector(vector: Float32Array): void {
    if (this.#dimensions === undefined) {
      throw new LongtaleError('INVALID_INPUT', 'Vector search is not enabled: call enableVectors first.');
    }
    if (vector.length !== this.#dimensions) {
      throw new LongtaleError('INVALID_INPUT', `The vector has ${vector.length} dimensions; the index has ${this.#dimensions}.`);
    }
    // sqlite-vec takes NaN without complaint and then ranks nonsense.
    if (!vector.every(Number.isFinite)) throw new LongtaleError('INVALID_INPUT', 'The vector holds a value that is not a finite number.');
  }
}

/** A count option as a whole number in [0, max]; the default when absent or not a number. */
function wholeNumber(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || Number.isNaN(value)) return fallback;
  return Math.min(max, Math.max(0, Math.floor(value)));
}

/** `node_vectors_<size>`, or with a model `node_vectors_<size>_<hash of the model id>` (a safe SQL name). */
function vectorTable(dimensions: number, model?: string): string {
  if (model === undefined) return `node_vectors_${dimensions}`;
  return `node_vectors_${dimensions}_${createHash('sha256').update(model).digest('hex').slice(0, 12)}`;
}

function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}
