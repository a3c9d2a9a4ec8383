import type { ApiError } from '../contract/index.js';
import type { Embedder } from '../memory/Embedder.js';
import type { Store } from '../store/openStore.js';
import { embeddingText, type PassageHit, type PassageSearchOptions, type StaleNode } from '../store/PassageIndex.js';
import type { EmbedderHost } from './EmbedderHost.js';

/**
 * Ancestors embedded before one retrieval, at most. Passages written before the embedding model was configured
 * (or imported) get their vectors a few at a time, so a step never stalls on a whole story; `longtale reindex`
 * does them all at once.
 */
export const BACKFILL_PER_SEARCH = 16;

/**
 * Long-term memory by meaning: with an embedding model configured, every committed passage gets a vector (computed
 * before the commit, written in the same transaction), and retrieval fuses vector neighbours with BM25. Without
 * one, everything here is a no-op and retrieval is BM25 alone, as before.
 */
export class PassageVectors {
  readonly #store: Store;
  readonly #host: EmbedderHost;

  constructor(store: Store, host: EmbedderHost) {
    this.#store = store;
    this.#host = host;
  }

  /** The embedding model, loaded on first use; undefined when none is configured or its load failed. */
  embedder(): Promise<Embedder | undefined> {
    return this.#host.get();
  }

  /** Why the configured model is not in use: its last load failed (see EmbedderHost). */
  get failure(): ApiError | null {
    return this.#host.failure;
  }

  /** The vector for a node about to be committed; undefined without an embedder or for a blank node. */
  async vectorFor(node: { passage: string; summary: string }, signal?: AbortSignal): Promise<Float32Array | undefined> {
    const embedder = await this.embedder();
    const text = embeddingText(node);
    if (!embedder || text.trim() === '') return undefined;
    const [vector] = await embedder.embed([text], signal);
    return vector;
  }

  /**
   * Runs `write` (a store write whose result names the node it committed) and stores `vector` for that node in
   * the same transaction: the passage and its vector are committed together or not at all.
   */
  commit<T>(vector: Float32Array | undefined, write: () => T, nodeOf: (result: T) => { storyId: number; nodeId: number }): T {
    if (!vector) return write();
    try {
      return this.#store.db.transaction(() => {
        const result = write();
        const { storyId, nodeId } = nodeOf(result);
        this.#store.passages.setVector(storyId, nodeId, vector);
        return result;
      });
    } catch (error) {
      // The store may have cached what the rolled-back write read back.
      this.#store.stories.forgetCached();
      throw error;
    }
  }

  /** Earlier passages on the path to `nodeId` related to `query`: BM25, fused with vector neighbours when configured. */
  async search(storyId: number, nodeId: number, query: string, options: PassageSearchOptions, signal?: AbortSignal): Promise<PassageHit[]> {
    const embedder = await this.embedder();
    if (!embedder || query.trim() === '') return this.#store.passages.search(storyId, nodeId, query, options);
    await this.backfill(storyId, nodeId, BACKFILL_PER_SEARCH, signal);
    const [queryVector] = await embedder.embed([query], signal);
    return this.#store.passages.search(storyId, nodeId, query, { ...options, queryVector });
  }

  /** Embeds up to `limit` ancestors of `nodeId` (inclusive) whose vector is missing or stale; returns how many it did. */
  async backfill(storyId: number, nodeId: number, limit: number, signal?: AbortSignal): Promise<number> {
    const missing = this.#store.passages.unembeddedAncestors(storyId, nodeId, limit);
    return this.#embedAll(storyId, missing, signal);
  }

  /** Embeds every node of a story whose vector for the configured model is missing or stale; returns how many. */
  async reindex(storyId: number, signal?: AbortSignal, onProgress?: (done: number) => void): Promise<number> {
    if (!(await this.embedder())) return 0;
    let done = 0;
    let after = 0;
    for (;;) {
      // By id cursor: a blank node stays without a vector and must not be fetched again forever.
      const missing = this.#store.passages.unembeddedNodes(storyId, after, 32);
      if (missing.length === 0) return done;
      done += await this.#embedAll(storyId, missing, signal);
      after = missing.at(-1)?.nodeId ?? after;
      onProgress?.(done);
    }
  }

  async #embedAll(storyId: number, nodes: StaleNode[], signal?: AbortSignal): Promise<number> {
    const embedder = await this.embedder();
    if (!embedder || nodes.length === 0) return 0;
    const vectors = await embedder.embed(nodes.map(embeddingText), signal);
    this.#store.db.transaction(() => {
      nodes.forEach((node, i) => {
        const vector = vectors[i];
        // A blank node gets no vector; a zero vector would rank as nonsense under cosine distance.
        if (vector && vector.some((x) => x !== 0)) this.#store.passages.setVector(storyId, node.nodeId, vector);
      });
    });
    return nodes.length;
  }
}
