import { beforeEach, describe, expect, it } from 'vitest';
import { chain, node, view } from '../testing/fixtures.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { StoryState } from './StoryState.svelte.js';

describe('StoryState', () => {
  let backend: FakeBackend;
  let story: StoryState;
  const start = chain(2);

  beforeEach(async () => {
    backend = new FakeBackend().on('stories.open', () => view(start));
    story = new StoryState(backend, 1);
    await story.load();
  });

  it('opens the story at its current passage', () => {
    expect(story.path.map((n) => n?.id)).toEqual([1, 2]);
    expect(story.current?.id).toBe(2);
    expect(story.title).toBe('The Lighthouse');
    expect(story.error).toBeNull();
  });

  it('writes the next passage from a choice, streaming it, and shows the new view', async () => {
    const next = node(3, 2);
    let draftSeen = '';
    backend.on('stories.step', async (_params, { emit }) => {
      emit({ kind: 'token', text: 'Rain.' });
      // Streamed text reaches the draft on the next animation frame.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      draftSeen = story.generation.draft;
      return view([...start, next]);
    });
    const revision = story.revision;
    expect(await story.step({ choice: 2 })).toBe(true);
    expect(backend.callsOf('stories.step')).toMatchObject([{ storyId: 1, input: { choice: 2 } }]);
    expect(draftSeen).toBe('Rain.');
    expect(story.current?.id).toBe(3);
    expect(story.revision).toBeGreaterThan(revision);
  });

  it('shows an engine error and leaves the story as it was', async () => {
    backend.fail('stories.step', 'GENERATION_FAILED', 'The GPU went away.');
    expect(await story.step({ action: 'I run' })).toBe(false);
    expect(story.error).toBe('The model failed while writing. The GPU went away.');
    expect(story.path.map((n) => n?.id)).toEqual([1, 2]);
    expect(story.busy).toBe(false);
    story.dismissError();
    expect(story.error).toBeNull();
  });

  it('stopping is not an error', async () => {
    backend.on('stories.step', () => new Promise(() => {}));
    const writing = story.step({ choice: 1 });
    expect(story.busy).toBe(true);
    story.stop();
    expect(await writing).toBe(false);
    expect(story.error).toBeNull();
    expect(story.path).toHaveLength(2);
  });

  it('does not start a second change while writing', async () => {
    backend.on('stories.step', () => new Promise(() => {}));
    void story.step({ choice: 1 });
    expect(await story.retry()).toBe(false);
    expect(await story.undo()).toBe(false);
    expect(backend.callsOf('stories.retry')).toEqual([]);
    story.stop();
  });

  it('retries the current passage, undoes, redoes and checks out through the engine', async () => {
    backend
      .on('stories.retry', () => view([start[0]!, node(5, 1, { siblingIndex: 1, siblingCount: 2 })]))
      .on('stories.undo', () => view([start[0]!]))
      .on('stories.redo', () => view(start))
      .on('stories.checkout', ({ nodeId }) => view(nodeId === 1 ? [start[0]!] : start));
    await story.retry();
    expect(backend.callsOf('stories.retry')).toMatchObject([{ storyId: 1, nodeId: 2 }]);
    expect(story.current).toMatchObject({ id: 5, siblingIndex: 1, siblingCount: 2 });
    await story.undo();
    expect(story.path).toHaveLength(1);
    await story.redo();
    expect(story.path).toHaveLength(2);
    await story.checkout(1);
    expect(backend.callsOf('stories.checkout')).toMatchObject([{ storyId: 1, nodeId: 1 }]);
    expect(story.current?.id).toBe(1);
  });

  it('saves an edited memory and passage', async () => {
    backend
      .on('nodes.editMemory', ({ shortMemory }) => view([start[0]!, node(2, 1, { shortMemory })]))
      .on('nodes.editPassage', ({ passage }) => view([start[0]!, node(2, 1, { passage, shortMemory: 'kept' })]));
    await story.editMemory(2, { shortMemory: 'She has the key.' });
    expect(backend.callsOf('nodes.editMemory')).toMatchObject([{ storyId: 1, nodeId: 2, shortMemory: 'She has the key.' }]);
    expect(story.current?.shortMemory).toBe('She has the key.');
    await story.editPassage(2, 'New text.');
    expect(story.current?.passage).toBe('New text.');
  });

  it('auto-write adds each committed passage as it lands and reports progress', async () => {
    const progress: number[] = [];
    let pathDuring: (number | undefined)[] = [];
    backend.on('stories.auto', (_params, { emit }) => {
      for (const id of [3, 4]) {
        emit({ kind: 'token', text: 'x' });
        emit({
          kind: 'progress',
          passages: id - 2,
          words: (id - 2) * 10,
          targetPassages: 2,
          targetWords: null,
          secondsLeft: 1,
          node: node(id, id - 1),
        });
      }
      pathDuring = story.path.map((n) => n?.id);
      return view([...start, node(3, 2), node(4, 3)]);
    });
    await story.auto({ passages: 2 }, (p) => progress.push(p.passages));
    expect(pathDuring).toEqual([1, 2, 3, 4]);
    expect(progress).toEqual([1, 2]);
    expect(story.current?.id).toBe(4);
  });

  it('after an auto-write fails, shows what the engine kept', async () => {
    backend.on('stories.auto', (_params, { emit }) => {
      emit({ kind: 'progress', passages: 1, words: 5, targetPassages: 3, targetWords: null, secondsLeft: null, node: node(3, 2) });
      throw new Error('boom');
    });
    backend.on('stories.open', () => view([...start, node(3, 2)]));
    expect(await story.auto({ passages: 3 }, () => {})).toBe(false);
    expect(story.error).toMatch(/boom/);
    expect(story.path.map((n) => n?.id)).toEqual([1, 2, 3]);
  });
});

describe('StoryState: deleting a branch', () => {
  it('asks the engine and shows the view it returns, or why it refused', async () => {
    const backend = new FakeBackend()
      .on('stories.open', () => view(chain(2)))
      .on('nodes.delete', () => view(chain(2)));
    const story = new StoryState(backend, 1);
    await story.load();
    expect(await story.deleteBranch(7)).toBe(true);
    expect(backend.callsOf('nodes.delete')).toMatchObject([{ storyId: 1, nodeId: 7 }]);
    backend.fail('nodes.delete', 'INVALID_INPUT', 'That passage is on the path you are reading.');
    expect(await story.deleteBranch(2)).toBe(false);
    expect(story.error).toBe('Some input is not valid. That passage is on the path you are reading.');
  });
});
