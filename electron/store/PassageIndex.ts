import { createHash } from 'node:crypto';
import { LongtaleError } from '../contract/index.js';
import { loadVectorExtension, type SqliteDatabase } from '../../native/sqlite/index.js';
import { fuseRankings } from './fuseRankings.js';
import { toFtsQuery } from './toFtsQuery.js';

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

/**
 * The ancestors of @node (inclusive) in @story that are at least @exclude steps above it. Long-term memory is
 * the story as it happened on this branch: a sibling branch or another story never leaks into a prompt.
 */
const ELIGIBLE_CTE = `
  WITH RECURSIVE up(id, depth) AS (
    SELECT id, 0 FROM nodes WHERE id = @node AND story_id = @story
    UNION ALL
    SELECT n.parent_id, up.depth + 1 FROM up JOIN nodes n ON n.id = up.id
    WHERE n.parent_id IS NOT NULL AND up.depth < ${MAX_DEPTH}
  ),
  eligible(id) AS (SELECT id FROM up WHERE depth >= @exclude)`;

/**
 * Long-term memory: retrieval of earlier passages on the path to a node, by full text (FTS5, BM25) and, when an
 * embedding model is configured, by vector (sqlite-vec), fused by reciprocal rank.
 */
export class PassageIndex {
  readonly #db: SqliteDatabase;
  #dimensions: number | undefined;
  #table: string | undefined;

  constructor(db: SqliteDatabase) {
    this.#db = db;
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
    const params = { story: storyId, node: nodeId, exclude };
    const query = toFtsQuery(queryText);

    if (!vector) {
      if (query === null) return [];
      return this.#textRanking(params, query, limit).map((r) => ({ ...r, score: -r.bm25 }));
    }
    const candidates = Math.min(MAX_KNN, limit * CANDIDATES_PER_HIT);
    const text = query === null ? [] : this.#textRanking(params, query, candidates).map((r) => r.nodeId);
    const near = this.#vectorRanking(params, vector, candidates);
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
      `${ELIGIBLE_CTE}
       SELECT n.id AS nodeId, n.passage, n.summary FROM eligible e JOIN nodes n ON n.id = e.id
       WHERE ${this.#staleSql()}
       ORDER BY n.id LIMIT @limit`,
      { story: storyId, node: nodeId, exclude: 0, limit },
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

  #textRanking(params: Record<string, number>, query: string, limit: number) {
    return this.#db.all<{ nodeId: number; passage: string; summary: string; bm25: number }>(
      `${ELIGIBLE_CTE}
       SELECT n.id AS nodeId, n.passage, n.summary, bm25(nodes_fts) AS bm25
       FROM nodes_fts JOIN eligible e ON e.id = nodes_fts.rowid JOIN nodes n ON n.id = e.id
       WHERE nodes_fts MATCH @query
       ORDER BY bm25, n.id LIMIT @limit`,
      { ...params, query, limit },
    );
  }

  /** Nearest vectors of this story (filtered inside the KNN), then cut to the eligible path. */
  #vectorRanking(params: Record<string, number>, vector: Float32Array, k: number): number[] {
    return this.#db
      .all<{ nodeId: number }>(
        `${ELIGIBLE_CTE},
         near(node_id, distance) AS MATERIALIZED (
           SELECT node_id, distance FROM ${this.#table ?? ''}
           WHERE embedding MATCH @vector AND k = @k AND story_id = @story
         )
         SELECT near.node_id AS nodeId FROM near JOIN eligible e ON e.id = near.node_id
         ORDER BY near.distance, near.node_id`,
        { ...params, vector: toBlob(vector), k },
      )
      .map((r) => r.nodeId);
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
