import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LongtaleError, methods, TreeNode } from '../../../electron/contract/index.js';
import { openStore, type Store } from '../../../electron/store/openStore.js';
import { StoryStore } from '../../../electron/store/StoryStore.js';
import { nodeRecord } from './nodeRecord.js';

describe('StoryStore.tree: the skeleton of the story map', () => {
  let store: Store;
  let stories: StoryStore;

  beforeEach(() => {
    store = openStore(':memory:');
    stories = new StoryStore(store.db);
  });

  afterEach(() => {
    store.dispose();
  });

  function newStory(passage = 'The lighthouse stood alone.'): { storyId: number; rootId: number } {
    const view = stories.create({ title: 't', premise: 'p', root: nodeRecord(passage) });
    return { storyId: view.story.id, rootId: view.currentNodeId };
  }

  const add = (storyId: number, parentId: number, passage: string) =>
    stories.addNode(storyId, parentId, nodeRecord(passage), { makeCurrent: false }).currentNodeId;

  it('lists every node of every branch with its parent and sibling position, parents first', () => {
    const { storyId, rootId } = newStory();
    const a = add(storyId, rootId, 'First try.');
    const b = add(storyId, rootId, 'Second try.');
    const a1 = add(storyId, a, 'Down the first branch.');
    const b1 = add(storyId, b, 'Down the second branch.');
    const b2 = add(storyId, b, 'Or another way.');

    const tree = stories.tree(storyId);
    expect(tree.map((n) => TreeNode.parse(n))).toEqual(tree);
    expect(tree).toEqual([
      { id: rootId, parentId: null, siblingIndex: 0, label: 'The lighthouse stood alone.' },
      { id: a, parentId: rootId, siblingIndex: 0, label: 'First try.' },
      { id: b, parentId: rootId, siblingIndex: 1, label: 'Second try.' },
      { id: a1, parentId: a, siblingIndex: 0, label: 'Down the first branch.' },
      { id: b1, parentId: b, siblingIndex: 0, label: 'Down the second branch.' },
      { id: b2, parentId: b, siblingIndex: 1, label: 'Or another way.' },
    ]);
    expect(methods['stories.tree'].result.parse(tree)).toEqual(tree);
  });

  it('gives the same sibling positions as the nodes of a path', () => {
    const { storyId, rootId } = newStory();
    const ids = [add(storyId, rootId, 'one'), add(storyId, rootId, 'two'), add(storyId, rootId, 'three')];
    const byId = new Map(stories.tree(storyId).map((n) => [n.id, n]));
    for (const id of ids) {
      const node = stories.node(storyId, id);
      expect(byId.get(id)?.siblingIndex).toBe(node.siblingIndex);
    }
  });

  it('holds only the nodes of the story asked for', () => {
    const first = newStory('first story');
    const second = newStory('second story');
    add(second.storyId, second.rootId, 'more of the second');
    expect(stories.tree(first.storyId).map((n) => n.label)).toEqual(['first story']);
    expect(stories.tree(second.storyId)).toHaveLength(2);
  });

  it('labels a node with the first words of its passage, whitespace folded, cut at a word', () => {
    const long = 'The  keeper\nclimbed the hundred and twelve stairs of the lighthouse every night, counting each one aloud.';
    const { storyId } = newStory(long);
    const [root] = stories.tree(storyId);
    expect(root?.label).toBe('The keeper climbed the hundred and twelve stairs of the…');
    expect(root?.label?.length).toBeLessThanOrEqual(61);
  });

  it('refuses an unknown story', () => {
    expect(() => stories.tree(999)).toThrow(LongtaleError);
    try {
      stories.tree(999);
    } catch (error) {
      expect((error as LongtaleError).code).toBe('STORY_NOT_FOUND');
    }
  });

  // Inserted directly: addNode reads the whole growing path back on every insert.
  it('reads a 10,000-node story, with a retry every hundred steps', () => {
    const { storyId, rootId } = newStory();
    store.db.transaction(() => {
      const insert = (parentId: number, order: number, text: string) =>
        Number(
          store.db.run(
            `INSERT INTO nodes (story_id, parent_id, sibling_order, passage, word_count, created_at) VALUES (?, ?, ?, ?, 3, 0)`,
            [storyId, parentId, order, text],
          ).lastInsertRowid,
        );
      let parent = rootId;
      for (let i = 0; i < 10_000; i++) {
        if (i % 100 === 0) insert(parent, 1, `Retry ${i}.`);
        parent = insert(parent, 0, `Passage ${i} goes on.`);
      }
    });
    const tree = stories.tree(storyId);
    expect(tree).toHaveLength(10_101);
    expect(tree.filter((n) => n.siblingIndex === 1)).toHaveLength(100);
    expect(tree.at(-1)).toMatchObject({ siblingIndex: 0, label: 'Passage 9999 goes on.' });
  });
});
