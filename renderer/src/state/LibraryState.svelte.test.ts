import { describe, expect, it, vi } from 'vitest';
import { summary, view, chain } from '../testing/fixtures.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { LibraryState } from './LibraryState.svelte.js';

describe('LibraryState', () => {
  it('refuses an empty premise without calling the engine', async () => {
    const backend = new FakeBackend();
    const library = new LibraryState(backend);
    expect(await library.create({ premise: '  \n ' })).toBeNull();
    expect(library.error).toBe('Some input is not valid. The premise is empty.');
    expect(backend.calls).toEqual([]);
  });

  it('writes a new story, streaming its opening, then lists it', async () => {
    let draft = '';
    const backend = new FakeBackend()
      .on('stories.create', async (_p, { emit }) => {
        emit({ kind: 'token', text: 'Once.' });
        // Streamed text reaches the draft on the next animation frame.
        await new Promise((resolve) => requestAnimationFrame(resolve));
        draft = library.generation.draft;
        return view(chain(1));
      })
      .on('stories.list', () => [summary()]);
    const library = new LibraryState(backend);
    const created = await library.create({ premise: 'A keeper.' });
    expect(created?.story.id).toBe(1);
    expect(draft).toBe('Once.');
    expect(library.stories).toHaveLength(1);
    expect(library.writing).toBe(false);
  });

  it('renames, exports to bytes, and imports', async () => {
    const backend = new FakeBackend()
      .on('stories.rename', () => view(chain(1)))
      .on('stories.list', () => [summary()])
      .on('stories.export', () => ({ fileName: 'the-lighthouse.md', mediaType: 'text/markdown', base64: btoa('# The Lighthouse') }))
      .on('stories.import', () => view(chain(3), 2));
    const library = new LibraryState(backend);
    expect(await library.rename(1, '  New title ')).toBe(true);
    expect(backend.callsOf('stories.rename')).toEqual([{ storyId: 1, title: 'New title' }]);
    const file = await library.export(1, 'md');
    expect(file?.fileName).toBe('the-lighthouse.md');
    expect(new TextDecoder().decode(file?.bytes)).toBe('# The Lighthouse');
    expect(library.notice).toBe('Exported the-lighthouse.md.');
    const imported = await library.import('{"format":"longtale"}');
    expect(imported?.story.id).toBe(2);
    expect(library.notice).toBe('Imported “The Lighthouse”.');
  });

  it('says why an import was refused, and changes nothing', async () => {
    const backend = new FakeBackend().fail('stories.import', 'INVALID_INPUT', 'This is not a Longtale export.');
    const library = new LibraryState(backend);
    expect(await library.import('{}')).toBeNull();
    expect(library.error).toBe('Some input is not valid. This is not a Longtale export.');
  });
});

describe('LibraryState: a story from the author’s own text', () => {
  const progress = (passages: number, secondsLeft: number | null) =>
    ({ kind: 'progress', passages, words: passages * 10, targetPassages: 3, targetWords: null, secondsLeft, node: chain(passages).at(-1)! }) as const;

  it('sends the text, follows the reading passage by passage, and returns the story', async () => {
    const seen: unknown[] = [];
    const backend = new FakeBackend()
      .on('stories.fromText', (_p, { emit }) => {
        seen.push(library.reading);
        emit({ kind: 'phase', phase: 'remembering' });
        emit(progress(1, null));
        seen.push(library.reading);
        emit(progress(2, 40));
        seen.push(library.reading);
        return view(chain(3), 4);
      })
      .on('stories.list', () => [summary(4, 3)]);
    const library = new LibraryState(backend);
    const request = { text: '# The Keeper\n\nOne.\n\nTwo.', title: 'Mine', settings: { passageTokens: 160 } };
    const read = await library.fromText(request);
    expect(backend.callsOf('stories.fromText')).toEqual([request]);
    expect(seen).toEqual([
      { done: 0, total: null, secondsLeft: null },
      { done: 1, total: 3, secondsLeft: null },
      { done: 2, total: 3, secondsLeft: 40 },
    ]);
    expect(read?.story.id).toBe(4);
    expect(library.stories.map((s) => s.id)).toEqual([4]);
    expect(library.reading).toBeNull();
    expect(library.writing).toBe(false);
  });

  it('stops: the engine keeps what was read and still answers with the story, which is used', async () => {
    const backend = new FakeBackend()
      .answersStop('stories.fromText')
      .on('stories.fromText', async (_p, { emit, signal }) => {
        emit(progress(1, 20));
        await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
        return view(chain(3), 5);
      })
      .on('stories.list', () => [summary(5, 3)]);
    const library = new LibraryState(backend);
    const reading = library.fromText({ text: 'One.\n\nTwo.\n\nThree.' });
    await vi.waitFor(() => expect(library.reading?.done).toBe(1));
    library.stop();
    expect((await reading)?.story.id).toBe(5);
    expect(library.error).toBeNull();
    expect(library.reading).toBeNull();
  });

  it('says why a text was refused, and refuses an empty one without calling the engine', async () => {
    const backend = new FakeBackend().fail('stories.fromText', 'INVALID_INPUT', 'The text has no prose to make passages of, only headings.');
    const library = new LibraryState(backend);
    expect(await library.fromText({ text: ' \n ' })).toBeNull();
    expect(library.error).toBe('Some input is not valid. The text is empty.');
    expect(backend.calls).toEqual([]);
    expect(await library.fromText({ text: '# Only a heading' })).toBeNull();
    expect(library.error).toBe('Some input is not valid. The text has no prose to make passages of, only headings.');
    expect(library.reading).toBeNull();
    expect(library.writing).toBe(false);
  });
});

describe('LibraryState: copies and the trash', () => {
  it('duplicates, deletes to the trash, offers to undo, restores and purges', async () => {
    let live = [summary(1), summary(2)];
    let trash: ReturnType<typeof summary>[] = [];
    const backend = new FakeBackend()
      .on('stories.list', () => live)
      .on('stories.duplicate', () => {
        live = [...live, summary(3)];
        return view(chain(1), 3);
      })
      .on('stories.delete', ({ storyId }) => {
        trash = [...trash, ...live.filter((s) => s.id === storyId)];
        live = live.filter((s) => s.id !== storyId);
        return live;
      })
      .on('stories.trash', () => trash)
      .on('stories.restore', ({ storyId }) => {
        live = [...live, ...trash.filter((s) => s.id === storyId)];
        trash = trash.filter((s) => s.id !== storyId);
        return view(chain(1), storyId);
      })
      .on('stories.purge', ({ storyId }) => (trash = trash.filter((s) => s.id !== storyId)));
    const library = new LibraryState(backend);
    await library.refresh();
    expect((await library.duplicate(1))?.story.id).toBe(3);
    expect(library.stories).toHaveLength(3);
    expect(await library.delete(2)).toBe(true);
    expect(library.stories.map((s) => s.id)).toEqual([1, 3]);
    expect(library.trash.map((s) => s.id)).toEqual([2]);
    expect(library.lastDeleted?.id).toBe(2);
    expect(library.notice).toMatch(/Moved “The Lighthouse” to the trash/);
    await library.restore(2);
    expect(library.lastDeleted).toBeNull();
    expect(library.trash).toEqual([]);
    expect(library.stories).toHaveLength(3);
    await library.delete(3);
    await library.purge(3);
    expect(library.trash).toEqual([]);
    expect(library.notice).toBe('Deleted for good.');
  });
});
