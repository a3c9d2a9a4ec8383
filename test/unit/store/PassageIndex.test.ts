import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { TermFrequencies } from '../../../electron/store/TermFrequencies.js';
import { failure } from '../../fixtures/thrownError.js';
import { nodeRecord } from './nodeRecord.js';


const vec = (...values: number[]) => new Float32Array(values);

/**
 * Story A:
 *   root  "The keeper lit the lamp at dusk."
 *   ├── bell   "A ship's bell rang in the fog; she found an old compass on the rocks."
 *   │   └── row    "Ada rowed toward the bell with a lantern."
 *   │       └── wreck  "She reached the wreck at midnight."   ← searches start here
 *   └── sibling "The golden compass, the golden compass! A compass lay in the sand." (best match, other branch)
 * Story B: one node about the golden compass.
 */
interface Tree {
  a: number;
  b: number;
  root: number;
  bell: number;
  row: number;
  wreck: number;
  sibling: number;
  other: number;
}

describe('PassageIndex', () => {
  let store: Store;
  let t: Tree;

  beforeEach(() => {
    store = openStore(':memory:');
    t = buildTree(store);
  });

  afterEach(() => {
    store.dispose();
  });

  function add(storyId: number, parentId: number, passage: string, summary = ''): number {
    return store.stories.addNode(storyId, parentId, nodeRecord(passage, { summary })).currentNodeId;
  }

  function buildTree(s: Store): Tree {
    const storyA = s.stories.create({ title: 'A', premise: '', root: nodeRecord('The keeper lit the lamp at dusk.') });
    const a = storyA.story.id;
    const root = storyA.currentNodeId;
    const addTo = (parent: number, passage: string) =>
      s.stories.addNode(a, parent, nodeRecord(passage)).currentNodeId;
    const bell = addTo(root, "A ship's bell rang in the fog; she found an old compass on the rocks.");
    const row = addTo(bell, 'Ada rowed toward the bell with a lantern.');
    const wreck = addTo(row, 'She reached the wreck at midnight.');
    const sibling = s.stories.addNode(a, root, nodeRecord('The golden compass, the golden compass! A compass lay in the sand.'), {
      makeCurrent: false,
    }).currentNodeId;
    const storyB = s.stories.create({ title: 'B', premise: '', root: nodeRecord('The golden compass glowed. Golden compass!') });
    return { a, b: storyB.story.id, root, bell, row, wreck, sibling, other: storyB.currentNodeId };
  }

  const ids = (hits: { nodeId: number }[]) => hits.map((h) => h.nodeId);

  describe('full-text search', () => {
    it('returns only ancestors of the node, never the better match on a sibling branch or in another story', () => {
      const hits = store.passages.search(t.a, t.wreck, 'the golden compass', { limit: 10 });
      expect(ids(hits)).toEqual([t.bell]);
      expect(hits[0]).toMatchObject({
        passage: "A ship's bell rang in the fog; she found an old compass on the rocks.",
        summary: '',
      });
      expect(hits[0]?.score).toBeGreaterThan(0);

      // From the sibling itself, the sibling is eligible and wins (with nothing excluded).
      expect(ids(store.passages.search(t.a, t.sibling, 'golden compass', { excludeRecent: 0 }))).toEqual([t.sibling]);
      // And the other story only ever sees itself.
      expect(ids(store.passages.search(t.b, t.other, 'compass bell rocks', { excludeRecent: 0 }))).toEqual([t.other]);
    });

    it('orders hits best first and honours the limit', () => {
      const query = 'bell lantern rowed';
      const hits = store.passages.search(t.a, t.wreck, query, { limit: 5 });
      expect(ids(hits)).toEqual([t.row, t.bell]);
      expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Infinity);
      expect(ids(store.passages.search(t.a, t.wreck, query, { limit: 1 }))).toEqual([t.row]);
      expect(store.passages.search(t.a, t.wreck, query, { limit: 0 })).toEqual([]);
      expect(ids(store.passages.search(t.a, t.wreck, query, { limit: Number.POSITIVE_INFINITY }))).toEqual([t.row, t.bell]);
      expect(ids(store.passages.search(t.a, t.wreck, query, { limit: Number.NaN }))).toEqual([t.row, t.bell]);
    });

    it('leaves out the most recent nodes of the path', () => {
      const query = 'wreck midnight bell rowed lantern';
      expect(ids(store.passages.search(t.a, t.wreck, query, { excludeRecent: 0, limit: 9 }))).toContain(t.wreck);
      expect(ids(store.passages.search(t.a, t.wreck, query, { limit: 9 })).sort()).toEqual([t.bell, t.row].sort());
      expect(ids(store.passages.search(t.a, t.wreck, query, { excludeRecent: 2, limit: 9 }))).toEqual([t.bell]);
      expect(store.passages.search(t.a, t.wreck, query, { excludeRecent: 4, limit: 9 })).toEqual([]);
      expect(store.passages.search(t.a, t.wreck, query, { excludeRecent: 100, limit: 9 })).toEqual([]);
    });

    it('defaults to three hits, excluding the node itself', () => {
      const extra = ['lamp one', 'lamp two', 'lamp three', 'lamp four'].reduce((parent, p) => add(t.a, parent, p), t.wreck);
      const hits = store.passages.search(t.a, extra, 'lamp');
      expect(hits).toHaveLength(3);
      expect(ids(hits)).not.toContain(extra);
    });

    it('searches summaries too', () => {
      store.stories.updateState(t.a, t.row, { summary: 'Ada sets out in the dinghy.' });
      expect(ids(store.passages.search(t.a, t.wreck, 'dinghy'))).toEqual([t.row]);
    });

    it('returns nothing for a query with no usable words, and survives hostile text', () => {
      expect(store.passages.search(t.a, t.wreck, 'the and of')).toEqual([]);
      expect(store.passages.search(t.a, t.wreck, '')).toEqual([]);
      expect(() => store.passages.search(t.a, t.wreck, 'NEAR("bell" compass:*, -2) passage: ^ {x}')).not.toThrow();
    });

    it('ranks as the full query does when words common to half the passages are left out', () => {
      // "harbour" is in every passage, "tide" in most: bm25 weighs both 1e-6, so the search leaves them out.
      const words = ['gull', 'rope', 'lantern', 'gull rope', 'anchor', 'lantern lantern', 'rope anchor', 'gull gull gull'];
      let node = t.wreck;
      for (const [i, w] of words.entries()) node = add(t.a, node, `The harbour ${i % 4 === 0 ? '' : 'tide '}was calm; ${w}.`);
      const query = 'harbour tide gull rope lantern anchor';
      const full = store.db.all<{ id: number }>(
        `SELECT rowid AS id FROM nodes_fts WHERE nodes_fts MATCH '"harbour" OR "tide" OR "gull" OR "rope" OR "lantern" OR "anchor"'
         ORDER BY bm25(nodes_fts), rowid`,
      );
      const path = new Set(store.stories.pathIds(node).slice(0, -1));
      const expected = full.map((r) => r.id).filter((id) => path.has(id));
      for (const limit of [1, 3, 6]) expect(ids(store.passages.search(t.a, node, query, { limit }))).toEqual(expected.slice(0, limit));
      // Passages with only the common words still come after the rest when the limit reaches them.
      expect(ids(store.passages.search(t.a, node, query, { limit: 20 }))).toEqual(expected);
      expect(ids(store.passages.search(t.a, node, 'harbour tide', { limit: 3 }))).toHaveLength(3);
      // Words are counted as the index stems them ("harbours" is "harbour"); unknown words are kept.
      expect(new TermFrequencies(store.db).informative(['harbours', 'gull', 'zeppelin', 'harbour'])).toEqual(['gull', 'zeppelin']);
    });

    it('refuses an unknown story and a node of another story', () => {
      expect(failure(() => store.passages.search(999, t.wreck, 'bell')).code).toBe('STORY_NOT_FOUND');
      expect(failure(() => store.passages.search(t.b, t.wreck, 'bell')).code).toBe('NODE_NOT_FOUND');
      expect(failure(() => store.passages.search(t.a, 424_242, 'bell')).code).toBe('NODE_NOT_FOUND');
    });
  });

  describe('keeping the index in step', () => {
    it('follows editPassage: the old words no longer match and the new ones do', () => {
      store.stories.editPassage(t.a, t.bell, 'A foghorn moaned; she found an old sextant on the rocks.');
      expect(store.passages.search(t.a, t.wreck, 'compass')).toEqual([]);
      expect(ids(store.passages.search(t.a, t.wreck, 'sextant'))).toEqual([t.bell]);
      expect(ids(store.passages.search(t.a, t.wreck, 'foghorn'))).toEqual([t.bell]);
    });

    it('forgets a deleted story (a plain SQL delete cascades to its nodes and their index entries)', () => {
      store.db.run('DELETE FROM stories WHERE id = ?', [t.a]);
      const indexed = store.db.all<{ rowid: number }>(`SELECT rowid FROM nodes_fts WHERE nodes_fts MATCH 'compass OR bell'`);
      expect(indexed.map((r) => r.rowid)).toEqual([t.other]);
      store.db.exec(`INSERT INTO nodes_fts (nodes_fts) VALUES ('integrity-check')`);
      expect(ids(store.passages.search(t.b, t.other, 'compass', { excludeRecent: 0 }))).toEqual([t.other]);
    });
  });

  describe('with vectors', () => {
    beforeEach(() => {
      store.passages.enableVectors(4);
      // The query will be (1, 0, 0, 0). Only `row` points that way on this path; its words match nothing.
      store.passages.setVector(t.a, t.root, vec(0, 1, 0, 0));
      store.passages.setVector(t.a, t.bell, vec(0.3, 0, 1, 0));
      store.passages.setVector(t.a, t.row, vec(0.9, 0.1, 0, 0));
      store.passages.setVector(t.a, t.wreck, vec(1, 0, 0, 0));
      store.passages.setVector(t.a, t.sibling, vec(1, 0, 0, 0));
      store.passages.setVector(t.b, t.other, vec(1, 0, 0, 0));
    });

    it('creates the vector table for that size', () => {
      expect(store.passages.vectorDimensions).toBe(4);
      const tables = store.db.all<{ name: string }>(`SELECT name FROM sqlite_schema WHERE name = 'node_vectors_4'`);
      expect(tables).toEqual([{ name: 'node_vectors_4' }]);
    });

    it('fuses in a node that only the vector side finds', () => {
      const textOnly = store.passages.search(t.a, t.wreck, 'compass');
      expect(ids(textOnly)).toEqual([t.bell]);

      // Vector ranks on this path (the node itself excluded): row 1, bell 2, root 3. Text ranks: bell 1.
      const fused = store.passages.search(t.a, t.wreck, 'compass', { queryVector: vec(1, 0, 0, 0), limit: 2 });
      expect(ids(fused)).toEqual([t.bell, t.row]);
      expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
      expect(fused[1]).toMatchObject({ passage: 'Ada rowed toward the bell with a lantern.', summary: '' });
      expect(fused[1]?.score).toBeCloseTo(1 / 61, 12);
    });

    it('ranks by the vector alone when the text has no usable words', () => {
      const hits = store.passages.search(t.a, t.wreck, 'the of', { queryVector: vec(1, 0, 0, 0), limit: 3 });
      expect(ids(hits)).toEqual([t.row, t.bell, t.root]);
    });

    it('never returns the sibling branch, the excluded recent nodes or another story, even when nearest', () => {
      const hits = store.passages.search(t.a, t.wreck, 'golden compass', { queryVector: vec(1, 0, 0, 0), limit: 10 });
      expect(ids(hits)).not.toContain(t.sibling);
      expect(ids(hits)).not.toContain(t.wreck);
      expect(ids(hits)).not.toContain(t.other);
      expect(ids(hits).sort()).toEqual([t.root, t.bell, t.row].sort());
    });

    it('filters by story inside the nearest-neighbour search, so a crowded other story cannot push ours out', () => {
      // Many nodes in story B that are exact matches: without the story filter in the KNN itself, the first k
      // neighbours would all be B's, and A's `row` would be lost after the ancestor filter.
      let parent = t.other;
      for (let i = 0; i < 40; i++) {
        parent = add(t.b, parent, `crowd ${i}`);
        store.passages.setVector(t.b, parent, vec(1, 0, 0, 0));
      }
      const hits = store.passages.search(t.a, t.wreck, 'the', { queryVector: vec(1, 0, 0, 0), limit: 1 });
      expect(ids(hits)).toEqual([t.row]);
    });

    it('replaces a node’s vector when it is set again', () => {
      store.passages.setVector(t.a, t.row, vec(0, 0, 0, 1));
      store.passages.setVector(t.a, t.root, vec(1, 0, 0, 0));
      const hits = store.passages.search(t.a, t.wreck, 'the', { queryVector: vec(1, 0, 0, 0), limit: 1 });
      expect(ids(hits)).toEqual([t.root]);
      expect(store.db.get<{ n: number }>('SELECT count(*) AS n FROM node_vectors_4')?.n).toBe(6);
    });

    it('refuses a vector of the wrong size or with non-finite values, or for a node of another story', () => {
      expect(failure(() => store.passages.setVector(t.a, t.row, vec(1, 0, 0))).code).toBe('INVALID_INPUT');
      expect(failure(() => store.passages.search(t.a, t.wreck, 'x', { queryVector: vec(1, 0) })).code).toBe('INVALID_INPUT');
      expect(failure(() => store.passages.setVector(t.b, t.row, vec(1, 0, 0, 0))).code).toBe('NODE_NOT_FOUND');
      expect(failure(() => store.passages.setVector(t.a, t.row, vec(Number.NaN, 0, 0, 0))).code).toBe('INVALID_INPUT');
      const infinite = { queryVector: vec(Number.POSITIVE_INFINITY, 0, 0, 0) };
      expect(failure(() => store.passages.search(t.a, t.wreck, 'x', infinite)).code).toBe('INVALID_INPUT');
    });

    it('is idempotent to enable, and drops the vectors of deleted nodes when enabled again', () => {
      store.db.run('DELETE FROM stories WHERE id = ?', [t.b]);
      store.passages.enableVectors(4);
      const left = store.db.all<{ node_id: number }>('SELECT node_id FROM node_vectors_4 ORDER BY node_id');
      expect(left.map((r) => r.node_id)).toEqual([t.root, t.bell, t.row, t.wreck, t.sibling].sort((x, y) => x - y));
    });
  });

  describe('per embedding model', () => {
    it('keeps each model’s vectors in its own table: another model of the same size never sees them', () => {
      store.passages.enableVectors(4, 'one.gguf:100');
      const first = store.passages.vectorTable;
      store.passages.setVector(t.a, t.row, vec(1, 0, 0, 0));
      expect(ids(store.passages.search(t.a, t.wreck, 'the', { queryVector: vec(1, 0, 0, 0) }))).toEqual([t.row]);

      store.passages.enableVectors(4, 'two.gguf:200');
      expect(store.passages.vectorTable).not.toBe(first);
      expect(store.passages.vectorTable).toMatch(/^node_vectors_4_[0-9a-f]{12}$/);
      expect(store.passages.search(t.a, t.wreck, 'the', { queryVector: vec(1, 0, 0, 0) })).toEqual([]);

      // Back to the first model: its vectors are still there.
      store.passages.enableVectors(4, 'one.gguf:100');
      expect(store.passages.vectorTable).toBe(first);
      expect(ids(store.passages.search(t.a, t.wreck, 'the', { queryVector: vec(1, 0, 0, 0) }))).toEqual([t.row]);
    });

    it('lists the nodes still without a vector: on the path to a node, or in the whole story after an id', () => {
      expect(store.passages.unembeddedAncestors(t.a, t.wreck, 10)).toEqual([]); // vectors not enabled: nothing to do
      store.passages.enableVectors(4, 'one.gguf:100');
      store.passages.setVector(t.a, t.bell, vec(1, 0, 0, 0));
      const missing = store.passages.unembeddedAncestors(t.a, t.wreck, 10);
      expect(ids(missing)).toEqual([t.root, t.row, t.wreck]);
      expect(missing[1]).toEqual({ nodeId: t.row, passage: 'Ada rowed toward the bell with a lantern.', summary: '' });
      expect(ids(store.passages.unembeddedAncestors(t.a, t.wreck, 2))).toEqual([t.root, t.row]);
      expect(ids(store.passages.unembeddedNodes(t.a, 0, 10))).toEqual([t.root, t.row, t.wreck, t.sibling]);
      expect(ids(store.passages.unembeddedNodes(t.a, t.row, 10))).toEqual([t.wreck, t.sibling]);
      expect(failure(() => store.passages.unembeddedAncestors(t.b, t.wreck, 10)).code).toBe('NODE_NOT_FOUND');
      expect(failure(() => store.passages.unembeddedNodes(9999, 0, 10)).code).toBe('STORY_NOT_FOUND');
    });
    it('counts a vector made from other text as stale: an edit brings the node back until it is embedded again', () => {
      store.passages.enableVectors(4, 'one.gguf:100');
      for (const id of [t.root, t.bell, t.row, t.wreck]) store.passages.setVector(t.a, id, vec(1, 0, 0, 0));
      expect(store.passages.unembeddedAncestors(t.a, t.wreck, 10)).toEqual([]);
      store.stories.editPassage(t.a, t.row, 'Ada rowed back.');
      store.stories.updateState(t.a, t.bell, { summary: 'A bell; a compass.' });
      expect(ids(store.passages.unembeddedAncestors(t.a, t.wreck, 10))).toEqual([t.bell, t.row]);
      store.passages.setVector(t.a, t.row, vec(1, 0, 0, 0));
      store.passages.setVector(t.a, t.bell, vec(1, 0, 0, 0));
      expect(store.passages.unembeddedAncestors(t.a, t.wreck, 10)).toEqual([]);
    });

    it('never asks for a vector of a blank node', () => {
      store.passages.enableVectors(4, 'one.gguf:100');
      const blank = add(t.a, t.wreck, '  \n ');
      expect(ids(store.passages.unembeddedAncestors(t.a, blank, 10))).toEqual([t.root, t.bell, t.row, t.wreck]);
    });
  });

  it('refuses vectors before enableVectors, and sizes it cannot hold', () => {
    expect(failure(() => store.passages.setVector(t.a, t.row, vec(1, 0, 0, 0))).code).toBe('INVALID_INPUT');
    expect(failure(() => store.passages.search(t.a, t.wreck, 'x', { queryVector: vec(1) })).code).toBe('INVALID_INPUT');
    for (const size of [0, -1, 1.5, 100_000]) {
      expect(failure(() => store.passages.enableVectors(size)).code).toBe('INVALID_INPUT');
    }
  });

  it('keeps vectors in the file, for the next session to enable again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-vectors-'));
    const file = path.join(dir, 'stories.db');
    try {
      let disk = openStore(file);
      const tree = buildTree(disk);
      disk.passages.enableVectors(4);
      disk.passages.setVector(tree.a, tree.row, vec(1, 0, 0, 0));
      disk.dispose();

      disk = openStore(file);
      try {
        disk.passages.enableVectors(4);
        const hits = disk.passages.search(tree.a, tree.wreck, 'the', { queryVector: vec(1, 0, 0, 0), limit: 1 });
        expect(ids(hits)).toEqual([tree.row]);
      } finally {
        disk.dispose();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
