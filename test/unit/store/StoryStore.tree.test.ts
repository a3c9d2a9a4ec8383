import { describe, expect, it } from 'vitest';
import { StoryNode, StoryView } from '../../../electron/contract/index.js';
import { failure } from '../../fixtures/thrownError.js';
import { memoryEntry, nodeRecord, ZERO_STATS } from './nodeRecord.js';
import { store, clock, stories, newStory, add, currentId, row, useStoryTree } from './storyTreeFixture.js';

useStoryTree();

describe('StoryStore: the story tree', () => {
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
});
