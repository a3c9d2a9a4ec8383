import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LongtaleError, StoryNode, StoryView } from '../../../electron/contract/index.js';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { StoryStore } from '../../../electron/store/StoryStore.js';
import { memoryEntry, nodeRecord, ZERO_STATS } from './nodeRecord.js';

/** The error `fn` throws, which must be a LongtaleError. */
function failure(fn: () => unknown): LongtaleError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LongtaleError);
    return error as LongtaleError;
  }
  throw new Error('expected a throw');
}

/** A clock under the test's control. */
function manualClock(start = 1_000): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}

describe('StoryStore: the story tree', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  let stories: StoryStore;

  beforeEach(() => {
    store = openStore(':memory:');
    clock = manualClock();
    stories = new StoryStore(store.db, clock.now);
  });

  afterEach(() => {
    store.dispose();
  });

  function newStory(passage = 'root'): { storyId: number; rootId: number } {
    const view = stories.create({ title: 't', premise: 'p', root: nodeRecord(passage) });
    return { storyId: view.story.id, rootId: view.currentNodeId };
  }

  function add(storyId: number, parentId: number, passage: string, makeCurrent = true): number {
    return stories.addNode(storyId, parentId, nodeRecord(passage), { makeCurrent }).currentNodeId;
  }

  function currentId(storyId: number): number {
    return stories.open(storyId).currentNodeId;
  }

  function row<T>(sql: string, params: number[]): T | undefined {
    return store.db.get<T>(sql, params);
  }

  describe('addNode', () => {
    it('adds a child after its siblings, makes it current and returns the path to it', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'first try');
      clock.set(2_000);
      const view = stories.addNode(storyId, rootId, nodeRecord('second try', { summary: 'Again.' }));
      const b = view.currentNodeId;

      expect(StoryView.parse(view)).toEqual(view);
      expect(view.path.map((n) => n.passage)).toEqual(['root', 'second try']);
      expect(view.path[1]).toMatchObject({ id: b, parentId: rootId, siblingIndex: 1, siblingCount: 2, summary: 'Again.' });
      expect(currentId(storyId)).toBe(b);
      expect(view.story).toMatchObject({ passageCount: 3, updatedAt: 2_000 });
      expect(store.db.all('SELECT id, sibling_order FROM nodes WHERE parent_id = ? ORDER BY id', [rootId])).toEqual([
        { id: a, sibling_order: 0 },
        { id: b, sibling_order: 1 },
      ]);
      expect(row('SELECT visited_at FROM nodes WHERE id = ?', [b])).toEqual({ visited_at: 2_000 });
    });

    it('stores the instruction, memory, plans and stats, and reads them back', () => {
      const { storyId, rootId } = newStory();
      const record = nodeRecord('She chose the stairs.', {
        instruction: { kind: 'choice', choice: 2, text: 'Take the stairs.' },
        shortMemory: 'Ada climbs.',
        plans: [
          { label: 'Up', text: 'She reaches the lamp room.' },
          { label: 'Down', text: 'She turns back.' },
        ],
        keyMemory: [memoryEntry({ id: '1.p0', text: 'The stairs creak.', kind: 'plot', score: 1.25 })],
        stats: { ...ZERO_STATS, promptTokens: 900, evaluatedTokens: 100, retries: 1, regenerated: true },
      });
      const node = stories.addNode(storyId, rootId, record).path[1];
      const { passage, summary, instruction, shortMemory, plans, keyMemory, stats } = record;
      expect(node).toMatchObject({ passage, summary, instruction, shortMemory, plans, keyMemory, stats, stale: false });
      expect(stories.node(storyId, node?.id ?? -1)).toEqual(node);
    });

    it('with makeCurrent: false, returns the new node’s path but leaves the story where it was', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const view = stories.addNode(storyId, rootId, nodeRecord('alternative'), { makeCurrent: false });
      expect(view.path.map((n) => n.passage)).toEqual(['root', 'alternative']);
      expect(currentId(storyId)).toBe(a);
      expect(row('SELECT visited_at FROM nodes WHERE id = ?', [view.currentNodeId])).toEqual({ visited_at: null });
    });

    it('refuses an unknown story, an unknown parent, and a parent from another story, writing nothing', () => {
      const { storyId, rootId } = newStory();
      const other = newStory('other root');
      const count = () => row<{ n: number }>('SELECT count(*) AS n FROM nodes', [])?.n;
      const before = count();

      expect(failure(() => stories.addNode(999, rootId, nodeRecord('x'))).code).toBe('STORY_NOT_FOUND');
      expect(failure(() => stories.addNode(storyId, 999, nodeRecord('x'))).code).toBe('NODE_NOT_FOUND');
      const foreign = failure(() => stories.addNode(storyId, other.rootId, nodeRecord('x')));
      expect(foreign.code).toBe('NODE_NOT_FOUND');
      expect(foreign.message).toContain(String(other.rootId));
      expect(count()).toBe(before);
    });

    it('refuses a record that does not match the contract', () => {
      const { storyId, rootId } = newStory();
      const bad = nodeRecord('x', { instruction: { kind: 'choice', choice: 7, text: '' } as never });
      expect(failure(() => stories.addNode(storyId, rootId, bad)).code).toBe('INVALID_INPUT');
      const badStats = nodeRecord('x', { stats: { ...ZERO_STATS, retries: -1 } });
      expect(failure(() => stories.addNode(storyId, rootId, badStats)).code).toBe('INVALID_INPUT');
      expect(stories.children(storyId, rootId)).toEqual([]);
    });
  });

  describe('open at a node', () => {
    it('gives the path to any node of the story without moving the current node', () => {
      const { storyId, rootId } = newStory();
      const left = add(storyId, rootId, 'left');
      const leftChild = add(storyId, left, 'left child');
      const right = add(storyId, rootId, 'right');

      const view = stories.open(storyId, leftChild);
      expect(view.currentNodeId).toBe(leftChild);
      expect(view.path.map((n) => n.passage)).toEqual(['root', 'left', 'left child']);
      expect(currentId(storyId)).toBe(right);
    });

    it('refuses a node of another story and an unknown node', () => {
      const { storyId } = newStory();
      const other = newStory('elsewhere');
      expect(failure(() => stories.open(storyId, other.rootId)).code).toBe('NODE_NOT_FOUND');
      expect(failure(() => stories.open(storyId, 12_345)).code).toBe('NODE_NOT_FOUND');
      expect(failure(() => stories.open(777, other.rootId)).code).toBe('STORY_NOT_FOUND');
    });
  });

  describe('node, children, siblings', () => {
    it('orders siblings by sibling_order and computes each one’s index and count', () => {
      const { storyId, rootId } = newStory();
      const ids = ['one', 'two', 'three'].map((p) => add(storyId, rootId, p));
      const grandchild = add(storyId, ids[1] ?? -1, 'deeper');

      const children = stories.children(storyId, rootId);
      expect(children.map((n) => [n.id, n.siblingIndex, n.siblingCount])).toEqual([
        [ids[0], 0, 3],
        [ids[1], 1, 3],
        [ids[2], 2, 3],
      ]);
      children.forEach((n) => expect(StoryNode.parse(n)).toEqual(n));
      expect(stories.siblings(storyId, ids[2] ?? -1)).toEqual(children);
      expect(stories.node(storyId, ids[1] ?? -1)).toEqual(children[1]);
      expect(stories.children(storyId, grandchild)).toEqual([]);
      expect(stories.siblings(storyId, grandchild).map((n) => [n.id, n.siblingIndex, n.siblingCount])).toEqual([
        [grandchild, 0, 1],
      ]);
    });

    it('gives the root as its own only sibling', () => {
      const { storyId, rootId } = newStory();
      add(storyId, rootId, 'child');
      expect(stories.siblings(storyId, rootId).map((n) => [n.id, n.siblingIndex, n.siblingCount])).toEqual([[rootId, 0, 1]]);
    });

    it('breaks sibling_order ties by id, the same way in every query', () => {
      const { storyId, rootId } = newStory();
      const ids = ['a', 'b', 'c'].map((p) => add(storyId, rootId, p));
      store.db.run('UPDATE nodes SET sibling_order = 5 WHERE parent_id = ?', [rootId]);
      expect(stories.children(storyId, rootId).map((n) => [n.id, n.siblingIndex])).toEqual(ids.map((id, i) => [id, i]));
      expect(stories.open(storyId, ids[2] ?? -1).path[1]?.siblingIndex).toBe(2);
    });

    it('refuses nodes of another story', () => {
      const { storyId } = newStory();
      const other = newStory('elsewhere');
      for (const call of [
        () => stories.node(storyId, other.rootId),
        () => stories.children(storyId, other.rootId),
        () => stories.siblings(storyId, other.rootId),
      ]) {
        expect(failure(call).code).toBe('NODE_NOT_FOUND');
      }
      expect(failure(() => stories.node(404, other.rootId)).code).toBe('STORY_NOT_FOUND');
    });
  });

  describe('checkout, undo, redo', () => {
    it('checkout makes any node current and records the visit', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const b = add(storyId, rootId, 'b');
      clock.set(5_000);
      const view = stories.checkout(storyId, a);
      expect(view.currentNodeId).toBe(a);
      expect(view.path.map((n) => n.id)).toEqual([rootId, a]);
      expect(currentId(storyId)).toBe(a);
      expect(row('SELECT visited_at FROM nodes WHERE id = ?', [a])).toEqual({ visited_at: 5_000 });
      expect(failure(() => stories.checkout(storyId, 9_999)).code).toBe('NODE_NOT_FOUND');
      expect(failure(() => stories.checkout(9_999, b)).code).toBe('STORY_NOT_FOUND');
    });

    it('undo goes to the parent, and refuses at the root', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const b = add(storyId, a, 'b');
      expect(currentId(storyId)).toBe(b);
      expect(stories.undo(storyId).currentNodeId).toBe(a);
      expect(stories.undo(storyId).path.map((n) => n.id)).toEqual([rootId]);
      const error = failure(() => stories.undo(storyId));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toBe('Nothing to undo: this is the first passage.');
      expect(currentId(storyId)).toBe(rootId);
    });

    it('redo retraces undo', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const b = add(storyId, a, 'b');
      stories.undo(storyId);
      stories.undo(storyId);
      expect(stories.redo(storyId).currentNodeId).toBe(a);
      expect(stories.redo(storyId).currentNodeId).toBe(b);
      const error = failure(() => stories.redo(storyId));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/Nothing to redo/);
    });

    it('redo goes to the most recently visited child, even within one millisecond', () => {
      // The clock never moves: visits must still be ordered.
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const b = add(storyId, rootId, 'b');
      stories.undo(storyId);
      expect(stories.redo(storyId).currentNodeId).toBe(b);
      stories.checkout(storyId, a);
      stories.undo(storyId);
      expect(stories.redo(storyId).currentNodeId).toBe(a);
      stories.checkout(storyId, b);
      stories.checkout(storyId, a);
      stories.checkout(storyId, b);
      stories.undo(storyId);
      expect(stories.redo(storyId).currentNodeId).toBe(b);
    });

    it('redo after a checkout into another branch walks back down that branch', () => {
      const { storyId, rootId } = newStory();
      const left = add(storyId, rootId, 'left');
      const leftDeep = add(storyId, add(storyId, left, 'left 2'), 'left 3');
      const right = add(storyId, rootId, 'right');
      const rightDeep = add(storyId, add(storyId, right, 'right 2'), 'right 3');
      expect(currentId(storyId)).toBe(rightDeep);

      stories.checkout(storyId, leftDeep);
      for (let i = 0; i < 3; i++) stories.undo(storyId);
      expect(currentId(storyId)).toBe(rootId);
      const walked = [1, 2, 3].map(() => stories.redo(storyId).path.at(-1)?.passage);
      expect(walked).toEqual(['left', 'left 2', 'left 3']);

      stories.checkout(storyId, rightDeep);
      for (let i = 0; i < 3; i++) stories.undo(storyId);
      expect([1, 2, 3].map(() => stories.redo(storyId).path.at(-1)?.passage)).toEqual(['right', 'right 2', 'right 3']);
    });

    it('redo ignores children that were never visited', () => {
      const { storyId, rootId } = newStory();
      add(storyId, rootId, 'draft', false);
      expect(failure(() => stories.redo(storyId)).code).toBe('INVALID_INPUT');
    });

    it('redo works on a story migrated from version 1, whose visits were not recorded', () => {
      // Simulate rows written before visits existed: no visited_at anywhere.
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      add(storyId, rootId, 'b');
      store.db.run('UPDATE nodes SET visited_at = NULL');
      stories.checkout(storyId, a);
      stories.undo(storyId);
      expect(stories.redo(storyId).currentNodeId).toBe(a);
    });

    it('navigation does not count as a change to the story', () => {
      const { storyId, rootId } = newStory();
      add(storyId, rootId, 'a');
      clock.set(9_000);
      stories.undo(storyId);
      stories.redo(storyId);
      stories.checkout(storyId, rootId);
      expect(stories.open(storyId).story.updatedAt).toBe(1_000);
    });
  });

  describe('editPassage', () => {
    it('replaces the text, recounts words, stamps edited_at and marks every descendant stale', () => {
      const { storyId, rootId } = newStory('one two three');
      const a = add(storyId, rootId, 'a');
      const a1 = add(storyId, a, 'a1');
      const a11 = add(storyId, a1, 'a11');
      const a2 = add(storyId, a, 'a2');
      const b = add(storyId, rootId, 'b');
      stories.checkout(storyId, a11);
      clock.set(7_000);

      const view = stories.editPassage(storyId, a, 'A whole new beginning here.');
      expect(view.currentNodeId).toBe(a11);
      const edited = view.path[1];
      expect(edited).toMatchObject({ id: a, passage: 'A whole new beginning here.', editedAt: 7_000, stale: false });
      expect(row('SELECT word_count FROM nodes WHERE id = ?', [a])).toEqual({ word_count: 5 });
      expect(view.story).toMatchObject({ updatedAt: 7_000, wordCount: 3 + 5 + 1 + 1 + 1 + 1 });

      const staleIds = store.db.all<{ id: number }>('SELECT id FROM nodes WHERE stale = 1 ORDER BY id').map((r) => r.id);
      expect(staleIds).toEqual([a1, a11, a2].sort((x, y) => x - y));
      expect(stories.node(storyId, b).stale).toBe(false);
      expect(stories.node(storyId, rootId).stale).toBe(false);
    });

    it('leaves everything alone when the text is unchanged', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'same');
      const child = add(storyId, a, 'child');
      clock.set(8_000);
      stories.editPassage(storyId, a, 'same');
      expect(stories.node(storyId, child).stale).toBe(false);
      expect(stories.node(storyId, a).editedAt).toBeNull();
      expect(stories.open(storyId).story.updatedAt).toBe(1_000);
    });

    it('ends on a parent cycle written by hand instead of spinning', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const b = add(storyId, a, 'b');
      stories.checkout(storyId, rootId); // so the returned view does not walk the cycle too
      store.db.run('UPDATE nodes SET parent_id = ? WHERE id = ?', [b, a]); // a → b → a, cut off from the root
      stories.editPassage(storyId, a, 'changed');
      expect(stories.node(storyId, b).stale).toBe(true);
      expect(stories.node(storyId, a).stale).toBe(true); // its own descendant now
    });

    it('refuses an empty passage and a node of another story', () => {
      const { storyId, rootId } = newStory();
      const other = newStory('elsewhere');
      expect(failure(() => stories.editPassage(storyId, rootId, '  \n ')).code).toBe('INVALID_INPUT');
      expect(failure(() => stories.editPassage(storyId, other.rootId, 'x')).code).toBe('NODE_NOT_FOUND');
      expect(stories.node(other.storyId, other.rootId).passage).toBe('elsewhere');
    });
  });

  describe('updateState', () => {
    it('changes only the fields given', () => {
      const { storyId, rootId } = newStory();
      const plans = [{ label: 'Go', text: 'She goes.' }];
      const id = stories.addNode(storyId, rootId, nodeRecord('a', { shortMemory: 'old memory', plans, summary: 'old' }))
        .currentNodeId;
      clock.set(3_000);

      const node = stories.updateState(storyId, id, { shortMemory: 'new memory' });
      expect(node).toMatchObject({ shortMemory: 'new memory', plans, summary: 'old', stale: false });
      expect(stories.open(storyId).story.updatedAt).toBe(3_000);

      const stats = { ...ZERO_STATS, generatedTokens: 12 };
      const keyMemory = [memoryEntry({ id: '1.u1', text: 'k', kind: 'user', score: 1, pinned: true })];
      expect(stories.updateState(storyId, id, { summary: 'new', keyMemory, stats, plans: [] })).toMatchObject({
        shortMemory: 'new memory',
        plans: [],
        summary: 'new',
        keyMemory,
        stats,
      });
    });

    it('sets and clears the stale flag', () => {
      const { storyId, rootId } = newStory();
      const id = add(storyId, rootId, 'a');
      expect(stories.updateState(storyId, id, { stale: true }).stale).toBe(true);
      expect(stories.updateState(storyId, id, { shortMemory: 'x' }).stale).toBe(true);
      expect(stories.updateState(storyId, id, { stale: false }).stale).toBe(false);
    });

    it('keeps keys of the state it does not know, and repairs a corrupt state', () => {
      const { storyId, rootId } = newStory();
      store.db.run(`UPDATE nodes SET state = '{"model":"tiny","shortMemory":"m"}' WHERE id = ?`, [rootId]);
      stories.updateState(storyId, rootId, { plans: [{ label: 'l', text: 't' }] });
      expect(JSON.parse(row<{ state: string }>('SELECT state FROM nodes WHERE id = ?', [rootId])?.state ?? '')).toEqual({
        model: 'tiny',
        shortMemory: 'm',
        plans: [{ label: 'l', text: 't' }],
      });

      store.db.run(`UPDATE nodes SET state = '[1,2' WHERE id = ?`, [rootId]);
      expect(stories.updateState(storyId, rootId, { shortMemory: 'fresh' })).toMatchObject({
        shortMemory: 'fresh',
        plans: [],
        keyMemory: [],
        stats: ZERO_STATS,
      });
    });

    it('refuses values that do not match the contract, and nodes of another story', () => {
      const { storyId, rootId } = newStory();
      const other = newStory('elsewhere');
      const badMemory = [{ text: 'x', kind: 'gossip', score: 1, pinned: false }] as never;
      expect(failure(() => stories.updateState(storyId, rootId, { keyMemory: badMemory })).code).toBe('INVALID_INPUT');
      expect(failure(() => stories.updateState(storyId, other.rootId, { shortMemory: 'x' })).code).toBe('NODE_NOT_FOUND');
    });
  });

  describe('reading rows leniently', () => {
    it('opens a story whose state, instruction or stats are corrupt, with defaults for what cannot be read', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const b = add(storyId, a, 'b');
      store.db.run(`UPDATE nodes SET state = 'not json at all', instruction = '{"kind":"teleport"}' WHERE id = ?`, [rootId]);
      store.db.run(
        `UPDATE nodes SET state = ? WHERE id = ?`,
        [
          JSON.stringify({
            shortMemory: 42,
            plans: [{ label: 'ok', text: 'kept' }, { label: 'broken' }, 'junk'],
            keyMemory: 'nope',
            stats: { promptTokens: 10, milliseconds: -5, fallback: 'yes', retries: 2 },
          }),
          a,
        ],
      );
      store.db.run(`UPDATE nodes SET state = 'null', instruction = '' WHERE id = ?`, [b]);
      stories.forgetCached(); // the rows were damaged behind the store's back

      const view = stories.open(storyId);
      expect(StoryView.parse(view)).toEqual(view);
      const [root, mid, leaf] = view.path;
      expect(root).toMatchObject({ instruction: { kind: 'opening' }, shortMemory: '', plans: [], keyMemory: [], stats: ZERO_STATS });
      expect(mid).toMatchObject({
        shortMemory: '',
        plans: [{ label: 'ok', text: 'kept' }],
        keyMemory: [],
        stats: { ...ZERO_STATS, promptTokens: 10, retries: 2 },
      });
      expect(leaf).toMatchObject({ instruction: { kind: 'opening' }, plans: [], stats: ZERO_STATS });
    });
  });

  describe('rename and editStory', () => {
    it('renames and edits the story fields, marking the story updated', () => {
      const { storyId } = newStory();
      clock.set(4_000);
      expect(stories.rename(storyId, 'The Letter')).toMatchObject({ id: storyId, title: 'The Letter', updatedAt: 4_000 });
      const edited = stories.editStory(storyId, { outline: '1. Knock\n2. Letter', genre: 'mystery' });
      expect(edited).toMatchObject({ title: 'The Letter', outline: '1. Knock\n2. Letter', genre: 'mystery', style: '' });
      expect(stories.list()[0]).toEqual(edited);
    });

    it('refuses an empty title and an unknown story', () => {
      const { storyId } = newStory();
      expect(failure(() => stories.rename(storyId, '   ')).code).toBe('INVALID_INPUT');
      expect(failure(() => stories.rename(31_337, 'x')).code).toBe('STORY_NOT_FOUND');
      expect(stories.open(storyId).story.title).toBe('t');
    });
  });

  describe('facts', () => {
    it('adds, lists in order, edits and removes', () => {
      const { storyId } = newStory();
      clock.set(6_000);
      const first = stories.addFact(storyId, 'The keeper is called Ada.');
      const second = stories.addFact(storyId, 'The lamp never goes out.');
      expect(stories.open(storyId).story.updatedAt).toBe(6_000);
      expect(stories.facts(storyId)).toEqual([first, second]);

      expect(stories.editFact(storyId, first.id, 'The keeper is called Ida.')).toEqual({ id: first.id, text: 'The keeper is called Ida.' });
      stories.removeFact(storyId, second.id);
      const third = stories.addFact(storyId, 'It is 1911.');
      expect(stories.facts(storyId).map((f) => f.text)).toEqual(['The keeper is called Ida.', 'It is 1911.']);
      expect(third.id).not.toBe(first.id);
    });

    it('keeps each story’s facts apart', () => {
      const a = newStory('a');
      const b = newStory('b');
      const fact = stories.addFact(a.storyId, 'only in a');
      expect(stories.facts(b.storyId)).toEqual([]);
      expect(failure(() => stories.editFact(b.storyId, fact.id, 'stolen')).code).toBe('INVALID_INPUT');
      expect(failure(() => stories.removeFact(b.storyId, fact.id)).code).toBe('INVALID_INPUT');
      expect(stories.facts(a.storyId)).toEqual([fact]);
    });

    it('refuses empty text, unknown facts and unknown stories', () => {
      const { storyId } = newStory();
      expect(failure(() => stories.addFact(storyId, ' ')).code).toBe('INVALID_INPUT');
      expect(failure(() => stories.editFact(storyId, 123, 'x')).code).toBe('INVALID_INPUT');
      expect(failure(() => stories.facts(404)).code).toBe('STORY_NOT_FOUND');
      expect(failure(() => stories.addFact(404, 'x')).code).toBe('STORY_NOT_FOUND');
      expect(stories.facts(storyId)).toEqual([]);
    });

    it('go with their story when it is deleted', () => {
      const { storyId } = newStory();
      stories.addFact(storyId, 'x');
      store.db.run('DELETE FROM stories WHERE id = ?', [storyId]);
      expect(store.db.all('SELECT * FROM facts')).toEqual([]);
    });
  });
});
