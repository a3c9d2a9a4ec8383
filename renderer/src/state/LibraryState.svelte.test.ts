import { describe, expect, it } from 'vitest';
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
