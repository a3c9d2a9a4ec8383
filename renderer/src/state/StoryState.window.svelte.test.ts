import { describe, expect, it } from 'vitest';
import type { StoryNode, StoryView } from '../../../electron/contract/index.js';
import { chain, node, view } from '../testing/fixtures.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { StoryState } from './StoryState.svelte.js';

/** What the engine does with `window`: only the end of the path travels. */
function windowed(path: StoryNode[], window: number | undefined): StoryView {
  const whole = view(path);
  if (window === undefined || path.length <= window) return whole;
  return { ...whole, path: path.slice(-window), pathStart: path.length - window };
}

describe('StoryState with a long story', () => {
  const long = chain(1000);

  async function opened(path = long) {
    const backend = new FakeBackend()
      .on('stories.open', ({ window }) => windowed(path, window))
      .on('stories.path', ({ start, end }) => ({ start, nodes: path.slice(start, end) }));
    const story = new StoryState(backend, 1);
    await story.load();
    return { backend, story };
  }

  it('opens with only the end of the path, and knows how long the whole is', async () => {
    const { backend, story } = await opened();
    expect(story.path).toHaveLength(1000);
    expect(story.current?.id).toBe(1000);
    const window = (backend.callsOf('stories.open')[0] as { window: number }).window;
    expect(story.path.filter(Boolean)).toHaveLength(window);
    expect(story.path[0]).toBeUndefined();
  });

  it('fetches earlier passages in blocks as they come into view, once', async () => {
    const { backend, story } = await opened();
    story.loadRange(0, 5);
    story.loadRange(2, 8);
    await new Promise((r) => setTimeout(r));
    expect(backend.callsOf('stories.path')).toEqual([{ storyId: 1, nodeId: 1000, start: 0, end: 100 }]);
    expect(story.path.slice(0, 100).map((n) => n?.id)).toEqual(long.slice(0, 100).map((n) => n.id));
  });

  it('keeps the passages it has when a step continues the path, and receives only the new end', async () => {
    const { backend, story } = await opened();
    story.loadRange(0, 1);
    await new Promise((r) => setTimeout(r));
    const next = [...long, node(1001, 1000)];
    backend.on('stories.step', ({ window }) => windowed(next, window));
    expect(await story.step({ choice: 1 })).toBe(true);
    expect(story.path).toHaveLength(1001);
    expect(story.path[0]?.id).toBe(1);
    expect(story.current?.id).toBe(1001);
  });

  it('drops what it has when the new view is on another path, and does not mix in blocks fetched for the old one', async () => {
    const { backend, story } = await opened();
    story.loadRange(0, 1);
    // A branch from passage 500: the nodes before the window are not known to be the same ones.
    const branch = [...long.slice(0, 500), node(2000, 500)];
    backend.on('stories.checkout', ({ window }) => windowed(branch.map((n) => ({ ...n, passage: `${n.passage} (b)` })), window));
    await story.checkout(2000);
    await new Promise((r) => setTimeout(r));
    expect(story.path).toHaveLength(501);
    expect(story.path.slice(0, 400).every((n) => n === undefined)).toBe(true);
  });

  it('drops the earlier passages after deleting a branch, whose parent on the path lost a child', async () => {
    const { backend, story } = await opened();
    story.loadRange(0, 1);
    await new Promise((r) => setTimeout(r));
    expect(story.path[0]).toBeDefined();
    backend.on('nodes.delete', ({ window }) => windowed(long, window));
    expect(await story.deleteBranch(5000)).toBe(true);
    expect(story.path).toHaveLength(1000);
    expect(story.path[0]).toBeUndefined();
    expect(story.current?.id).toBe(1000);
  });

  it('asks for the edited passage and its parent when editing before the window, so the rest is kept', async () => {
    const { backend, story } = await opened();
    story.loadRange(900, 950);
    await new Promise((r) => setTimeout(r));
    backend.on('nodes.editPassage', ({ window }) => windowed(long, window));
    await story.editPassage(901, 'New text.');
    const { window } = backend.callsOf('nodes.editPassage')[0] as { window: number };
    expect(window).toBe(101);
    expect(story.path[899]?.id).toBe(900);
  });
});
