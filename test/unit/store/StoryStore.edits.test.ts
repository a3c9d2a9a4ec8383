import { describe, expect, it } from 'vitest';
import { StoryView } from '../../../electron/contract/index.js';
import { failure } from '../../fixtures/thrownError.js';
import { memoryEntry, nodeRecord, ZERO_STATS } from './nodeRecord.js';
import { store, clock, stories, newStory, add, row, useStoryTree } from './storyTreeFixture.js';

useStoryTree();

describe('StoryStore: editing the tree', () => {
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

      expect(first).toEqual({ id: first.id, text: 'The keeper is called Ada.', fromNodeId: null });
      stories.editFact(storyId, first.id, 'The keeper is called Ida.');
      stories.removeFact(storyId, second.id);
      const third = stories.addFact(storyId, 'It is 1911.');
      expect(stories.facts(storyId).map((f) => f.text)).toEqual(['The keeper is called Ida.', 'It is 1911.']);
      expect(third.id).not.toBe(first.id);
    });

    it('holds a fact pinned from a passage on for that passage and what follows it on its branch only', () => {
      const { storyId, rootId } = newStory();
      const a = add(storyId, rootId, 'a');
      const a2 = add(storyId, a, 'a2');
      const b = add(storyId, rootId, 'b');
      const whole = stories.addFact(storyId, 'The sea is cold.');
      const scoped = stories.addFact(storyId, 'Tam is dead.', a);
      expect(scoped).toMatchObject({ text: 'Tam is dead.', fromNodeId: a });
      const texts = (nodeId: number | null) => stories.factsAfter(storyId, nodeId).map((f) => f.text);
      expect(texts(a)).toEqual([whole.text, scoped.text]);
      expect(texts(a2)).toEqual([whole.text, scoped.text]);
      expect(texts(rootId)).toEqual([whole.text]);
      expect(texts(b)).toEqual([whole.text]);
      expect(texts(null)).toEqual([whole.text]);
      // Only a passage of the story itself.
      const other = newStory('elsewhere');
      expect(failure(() => stories.addFact(storyId, 'x', other.rootId)).code).toBe('NODE_NOT_FOUND');
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
