import { describe, expect, it } from 'vitest';
import { FakeBackend } from '../testing/FakeBackend.js';
import { StoryTree } from './StoryTree.svelte.js';

describe('StoryTree', () => {
  const skeleton = [
    { id: 1, parentId: null, siblingIndex: 0 },
    { id: 2, parentId: 1, siblingIndex: 0 },
    { id: 3, parentId: 1, siblingIndex: 1 },
    { id: 4, parentId: 1, siblingIndex: 2 },
  ];

  it('loads the skeleton once per story revision', async () => {
    const backend = new FakeBackend().on('stories.tree', () => skeleton);
    const tree = new StoryTree(backend, 7);
    await tree.ensure(1);
    await tree.ensure(1);
    expect(backend.callsOf('stories.tree')).toEqual([{ storyId: 7 }]);
    await tree.ensure(2);
    expect(backend.callsOf('stories.tree')).toHaveLength(2);
    expect(tree.size).toBe(4);
  });

  it('finds the versions beside a passage', async () => {
    const tree = new StoryTree(new FakeBackend().on('stories.tree', () => skeleton), 1);
    await tree.ensure(1);
    expect(tree.siblings(3).map((n) => n.id)).toEqual([2, 3, 4]);
    expect(tree.sibling(3, -1)?.id).toBe(2);
    expect(tree.sibling(3, 1)?.id).toBe(4);
    expect(tree.sibling(4, 1)).toBeNull();
    expect(tree.siblings(1).map((n) => n.id)).toEqual([1]);
  });

  it('folds and unfolds branches', async () => {
    const tree = new StoryTree(new FakeBackend().on('stories.tree', () => skeleton), 1);
    await tree.ensure(1);
    expect(tree.rows(new Set([1, 2]), 2).map((r) => r.kind)).toEqual(['node', 'folded', 'folded', 'node']);
    tree.toggle(3);
    expect(tree.isOpen(3)).toBe(true);
    expect(tree.rows(new Set([1, 2]), 2).map((r) => r.kind)).toEqual(['node', 'node', 'folded', 'node']);
  });

  it('reports a failed load and tries again next time', async () => {
    const backend = new FakeBackend().fail('stories.tree', 'STORY_NOT_FOUND');
    const tree = new StoryTree(backend, 1);
    await tree.ensure(1);
    expect(tree.error).toBe('That story does not exist.');
    backend.on('stories.tree', () => skeleton);
    await tree.ensure(1);
    expect(tree.error).toBeNull();
    expect(tree.size).toBe(4);
  });
});
