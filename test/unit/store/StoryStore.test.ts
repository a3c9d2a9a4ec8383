import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LongtaleError, StoryView } from '../../../electron/contract/index.js';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { SettingsStore } from '../../../electron/store/SettingsStore.js';
import { countWords } from '../../../electron/store/countWords.js';
import { StoryStore } from '../../../electron/store/StoryStore.js';
import { memoryEntry, nodeRecord, ZERO_STATS } from './nodeRecord.js';

/** A clock that returns the given instants in turn, then keeps returning the last. */
function clock(...instants: number[]): () => number {
  let i = 0;
  return () => {
    const t = instants[Math.min(i, instants.length - 1)];
    i += 1;
    if (t === undefined) throw new Error('clock() needs at least one instant');
    return t;
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('StoryStore', () => {
  let dir: string;
  let file: string;
  let store: Store;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-store-'));
    file = path.join(dir, 'stories.db');
    store = openStore(file);
  });

  afterEach(() => {
    store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Inserts a node by hand and returns its id. */
  function insertNode(storyId: number, parentId: number | null, passage: string, createdAt = 0, order = 0): number {
    const sql = `INSERT INTO nodes (story_id, parent_id, sibling_order, passage, word_count, created_at)
                 VALUES (?, ?, ?, ?, ?, ?)`;
    return Number(
      store.db.run(sql, [storyId, parentId, order, passage, countWords(passage), createdAt]).lastInsertRowid,
    );
  }

  function storyCount(): number {
    return store.db.get<{ n: number }>('SELECT count(*) AS n FROM stories')?.n ?? -1;
  }

  describe('create', () => {
    it('makes a story and its root node in one go and returns the view', () => {
      const stories = new StoryStore(store.db, () => 1_700_000_000_000);
      const view = stories.create({
        title: 'The Lighthouse',
        premise: 'A keeper hears a knock.',
        root: nodeRecord('It was late. The sea was loud.'),
      });

      expect(StoryView.parse(view)).toEqual(view);
      expect(view.story).toMatchObject({
        title: 'The Lighthouse',
        premise: 'A keeper hears a knock.',
        passageCount: 1,
        wordCount: 7,
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_000,
      });
      expect(view.path).toHaveLength(1);
      const [root] = view.path;
      expect(root).toEqual({
        id: view.currentNodeId,
        parentId: null,
        siblingIndex: 0,
        siblingCount: 1,
        passage: 'It was late. The sea was loud.',
        summary: '',
        instruction: { kind: 'opening' },
        shortMemory: '',
        plans: [],
        keyMemory: [],
        stats: ZERO_STATS,
        stale: false,
        createdAt: 1_700_000_000_000,
        editedAt: null,
      });

      const rows = store.db.all<{ id: number; story_id: number; parent_id: number | null; word_count: number }>(
        'SELECT id, story_id, parent_id, word_count FROM nodes',
      );
      expect(rows).toEqual([{ id: view.currentNodeId, story_id: view.story.id, parent_id: null, word_count: 7 }]);
      expect(store.db.get('SELECT current_node_id FROM stories WHERE id = ?', [view.story.id])).toEqual({
        current_node_id: view.currentNodeId,
      });
    });

    it('stores memory, plans and stats as JSON in state, and the instruction and summary in their columns', () => {
      const stats = { ...ZERO_STATS, promptTokens: 120, generatedTokens: 80, milliseconds: 1500.5, fallback: true };
      const plans = [{ label: 'Open it', text: 'She opens the door.' }];
      const keyMemory = [memoryEntry({ id: '0.p0', text: 'The key is brass.', kind: 'canon', score: 2.5, pinned: true })];
      const view = store.stories.create({
        title: 'b',
        premise: '',
        genre: 'mystery',
        style: 'terse',
        outline: '1. The knock',
        root: nodeRecord('y', { summary: 'A knock.', shortMemory: 'Someone knocked.', plans, keyMemory, stats }),
      });
      const row = store.db.get<{ state: string; summary: string; instruction: string }>(
        'SELECT state, summary, instruction FROM nodes WHERE id = ?',
        [view.currentNodeId],
      );
      expect(JSON.parse(row?.state ?? 'null')).toEqual({ shortMemory: 'Someone knocked.', plans, keyMemory, stats });
      expect(row?.summary).toBe('A knock.');
      expect(JSON.parse(row?.instruction ?? 'null')).toEqual({ kind: 'opening' });
      expect(view.path[0]).toMatchObject({ summary: 'A knock.', shortMemory: 'Someone knocked.', plans, keyMemory, stats });
      expect(view.story).toMatchObject({ genre: 'mystery', style: 'terse', outline: '1. The knock' });
    });

    it('defaults genre, style and outline to empty text', () => {
      const view = store.stories.create({ title: 'a', premise: '', root: nodeRecord('x') });
      expect(view.story).toMatchObject({ genre: '', style: '', outline: '' });
    });

    it('refuses a root whose state does not match the contract, writing nothing', () => {
      const bad = nodeRecord('x', { plans: [{ label: 'no text' }] as never });
      expect(() => store.stories.create({ title: 'a', premise: '', root: bad })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
      expect(storyCount()).toBe(0);
    });

    it('keeps text exactly, including quotes, newlines and non-Latin script', () => {
      const passage = `"Don't," she said.\n\nЗдравствуй — 你好 — 🌊`;
      const view = store.stories.create({ title: "O'Neil's \"tale\"", premise: '', root: nodeRecord(passage) });
      expect(view.story.title).toBe("O'Neil's \"tale\"");
      expect(view.path[0]?.passage).toBe(passage);
    });

    it('is atomic: when the node insert fails, no story row is left behind', () => {
      store.db.exec(`CREATE TRIGGER no_nodes BEFORE INSERT ON nodes BEGIN SELECT RAISE(ABORT, 'x'); END`);
      expect(() => store.stories.create({ title: 'doomed', premise: 'p', root: nodeRecord('never written') })).toThrow(/x/);
      expect(storyCount()).toBe(0);
      expect(store.db.get<{ n: number }>('SELECT count(*) AS n FROM nodes')?.n).toBe(0);
      expect(store.stories.list()).toEqual([]);

      // The connection is not left inside a transaction: the next create works.
      store.db.exec('DROP TRIGGER no_nodes');
      const view = store.stories.create({ title: 'fine', premise: 'p', root: nodeRecord('written') });
      expect(store.stories.list().map((s) => s.id)).toEqual([view.story.id]);
    });

    it('is atomic on disk too: an independent connection sees no half story', () => {
      store.db.exec(`CREATE TRIGGER no_nodes BEFORE INSERT ON nodes BEGIN SELECT RAISE(ABORT, 'x'); END`);
      expect(() => store.stories.create({ title: 'doomed', premise: 'p', root: nodeRecord('w') })).toThrow();
      const raw = new Database(file, { readonly: true });
      try {
        expect(raw.prepare('SELECT count(*) AS n FROM stories').get()).toEqual({ n: 0 });
      } finally {
        raw.close();
      }
    });
  });

  describe('list', () => {
    it('is empty for a new database', () => {
      expect(store.stories.list()).toEqual([]);
    });

    it('is ordered by updated_at, newest first', () => {
      const stories = new StoryStore(store.db, clock(2_000, 1_000, 3_000));
      const b = stories.create({ title: 'middle', premise: '', root: nodeRecord('b') });
      const a = stories.create({ title: 'oldest', premise: '', root: nodeRecord('a') });
      const c = stories.create({ title: 'newest', premise: '', root: nodeRecord('c') });
      expect(stories.list().map((s) => s.title)).toEqual(['newest', 'middle', 'oldest']);
      expect(stories.list().map((s) => s.id)).toEqual([c.story.id, b.story.id, a.story.id]);

      store.db.run('UPDATE stories SET updated_at = 9000 WHERE id = ?', [a.story.id]);
      expect(stories.list().map((s) => s.title)).toEqual(['oldest', 'newest', 'middle']);
    });

    it('breaks updated_at ties by id, newest first', () => {
      const stories = new StoryStore(store.db, () => 5);
      const ids = ['one', 'two', 'three'].map((t) => stories.create({ title: t, premise: '', root: nodeRecord(t) }).story.id);
      expect(stories.list().map((s) => s.id)).toEqual([...ids].reverse());
    });

    it('counts every passage and word in each story, not only the current path', () => {
      const first = store.stories.create({ title: 'tree', premise: '', root: nodeRecord('one two') });
      const other = store.stories.create({ title: 'other', premise: '', root: nodeRecord('solo') });
      const root = first.currentNodeId;
      insertNode(first.story.id, root, 'three four five');
      insertNode(first.story.id, root, 'six', 0, 1);

      const byTitle = new Map(store.stories.list().map((s) => [s.title, s]));
      expect(byTitle.get('tree')).toMatchObject({ id: first.story.id, passageCount: 3, wordCount: 6 });
      expect(byTitle.get('other')).toMatchObject({ id: other.story.id, passageCount: 1, wordCount: 1 });
    });
  });

  describe('open', () => {
    it('throws STORY_NOT_FOUND for an unknown id', () => {
      const error = thrown(() => store.stories.open(4242));
      expect(error).toBeInstanceOf(LongtaleError);
      expect((error as LongtaleError).code).toBe('STORY_NOT_FOUND');
      expect((error as LongtaleError).message).toContain('4242');
    });

    it('throws NODE_NOT_FOUND for a story without a current node', () => {
      const id = Number(
        store.db.run(`INSERT INTO stories (title, premise, created_at, updated_at) VALUES ('empty', '', 0, 0)`)
          .lastInsertRowid,
      );
      const error = thrown(() => store.stories.open(id));
      expect(error).toBeInstanceOf(LongtaleError);
      expect((error as LongtaleError).code).toBe('NODE_NOT_FOUND');
    });

    it('returns the path from the root to the current node', () => {
      const view = store.stories.create({ title: 't', premise: '', root: nodeRecord('root') });
      const a = insertNode(view.story.id, view.currentNodeId, 'a');
      const b = insertNode(view.story.id, a, 'b');
      insertNode(view.story.id, a, 'sibling of b', 0, 1);
      store.db.run('UPDATE stories SET current_node_id = ? WHERE id = ?', [b, view.story.id]);

      const opened = store.stories.open(view.story.id);
      expect(opened.currentNodeId).toBe(b);
      expect(opened.path.map((n) => n.passage)).toEqual(['root', 'a', 'b']);
      expect(opened.story.passageCount).toBe(4);
    });
  });

  describe('pathTo', () => {
    it('returns root → leaf order for a chain inserted by hand', () => {
      const view = store.stories.create({ title: 't', premise: '', root: nodeRecord('root') });
      const ids = [view.currentNodeId];
      for (let depth = 1; depth <= 6; depth++) {
        ids.push(insertNode(view.story.id, ids.at(-1) ?? null, `level ${depth}`, depth));
      }
      const leaf = ids.at(-1) ?? -1;

      const nodes = store.stories.pathTo(leaf);
      expect(nodes.map((n) => n.id)).toEqual(ids);
      expect(nodes.map((n) => n.passage)).toEqual(['root', ...[1, 2, 3, 4, 5, 6].map((d) => `level ${d}`)]);
      expect(nodes[0]?.parentId).toBeNull();
      nodes.slice(1).forEach((n, i) => expect(n.parentId).toBe(nodes[i]?.id));
      expect(nodes.map((n) => n.createdAt).slice(1)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('follows parent links, not id order', () => {
      // Insert the deeper node before its sibling branch so ids and depth disagree.
      const view = store.stories.create({ title: 't', premise: '', root: nodeRecord('root') });
      const left = insertNode(view.story.id, view.currentNodeId, 'left');
      const right = insertNode(view.story.id, view.currentNodeId, 'right', 0, 1);
      const rightChild = insertNode(view.story.id, right, 'right child');
      const leftChild = insertNode(view.story.id, left, 'left child');
      expect(store.stories.pathTo(leftChild).map((n) => n.passage)).toEqual(['root', 'left', 'left child']);
      expect(store.stories.pathTo(rightChild).map((n) => n.passage)).toEqual(['root', 'right', 'right child']);
    });

    it('of the root is just the root', () => {
      const view = store.stories.create({ title: 't', premise: '', root: nodeRecord('root') });
      expect(store.stories.pathTo(view.currentNodeId)).toEqual(view.path);
    });

    it('of an unknown node is empty', () => {
      expect(store.stories.pathTo(987_654)).toEqual([]);
    });
  });

  describe('persistence', () => {
    it('keeps stories, nodes and settings across closing and reopening the file', () => {
      const stories = new StoryStore(store.db, () => 123);
      const view = stories.create({ title: 'Kept', premise: 'Still here', root: nodeRecord('First words.') });
      const child = insertNode(view.story.id, view.currentNodeId, 'Second words.', 124);
      store.db.run('UPDATE stories SET current_node_id = ?, updated_at = 124 WHERE id = ?', [child, view.story.id]);
      store.settings.set('lastModel', '/models/tiny.gguf');
      const before = stories.open(view.story.id);
      store.dispose();

      store = openStore(file);
      expect(store.stories.list()).toEqual([before.story]);
      expect(store.stories.open(view.story.id)).toEqual(before);
      expect(before.path.map((n) => n.passage)).toEqual(['First words.', 'Second words.']);
      expect(store.settings.get('lastModel')).toBe('/models/tiny.gguf');
    });
  });
});

describe('countWords', () => {
  it.each([
    ['', 0],
    [' ', 0],
    ['   \t  \n ', 0],
    ['one', 1],
    ['  one  ', 1],
    ['one two', 2],
    ['one  \t two', 2],
    ['line one\nline two\r\nline three', 6],
    ['\n\nparagraph\n\n\nparagraph\n', 2],
    ['Здравствуй мир', 2],
    ['café naïve résumé', 3],
    ['🌊 🌊🌊 x', 1], // emoji alone are not words
    ['a\u00a0b', 2], // no-break space separates
    ['a\u3000b', 2], // ideographic space separates
    ['a\u2003b', 2], // em space separates
    ['well-known don’t', 2], // hyphens and apostrophes join
    ['— dash —', 1], // punctuation on its own is not a word
    ['"Run!" she said.', 3],
    ['你好世界', 2], // unspaced scripts are split by the ICU word segmenter
    ['我喜欢读书。 hello', 4],
  ])('countWords(%j) is %i', (text, expected) => {
    expect(countWords(text)).toBe(expected);
  });
});

describe('SettingsStore', () => {
  let store: Store;

  beforeEach(() => {
    store = openStore(':memory:');
  });

  afterEach(() => {
    store.dispose();
  });

  it('gives undefined for a key never set', () => {
    expect(store.settings.get('nothing')).toBeUndefined();
  });

  it('gets what was set', () => {
    store.settings.set('model', '/a.gguf');
    expect(store.settings.get('model')).toBe('/a.gguf');
  });

  it('overwrites a key in place rather than adding a row', () => {
    store.settings.set('model', '/a.gguf');
    store.settings.set('model', '/b.gguf');
    expect(store.settings.get('model')).toBe('/b.gguf');
    expect(store.db.all('SELECT key, value FROM settings')).toEqual([{ key: 'model', value: '/b.gguf' }]);
  });

  it('keeps keys apart and stores empty and unicode values exactly', () => {
    store.settings.set('a', '');
    store.settings.set('b', 'ünïcødé 🌊\nline');
    expect(store.settings.get('a')).toBe('');
    expect(store.settings.get('b')).toBe('ünïcødé 🌊\nline');
  });

  it('shares the table with another SettingsStore on the same database', () => {
    new SettingsStore(store.db).set('shared', 'yes');
    expect(store.settings.get('shared')).toBe('yes');
  });
});
